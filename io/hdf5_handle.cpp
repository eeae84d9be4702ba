#include "io/hdf5_handle.hpp"

#include <sys/stat.h>

namespace pint::h5 {

Handle::Handle(hid_t id, Closer close, const std::string& what) : id_(id), close_(close) {
  if (id_ < 0) throw H5Error("HDF5: " + what + " failed");
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && close_) close_(id_);
  id_ = -1;
}

void silence_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle create_parallel(const std::string& path, MPI_Comm comm) {
  silence_errors();
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "creating a file access list");
  if (H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0) throw H5Error("HDF5: MPI-IO driver unavailable");
  // The 1.8 file format: its superblock and object headers carry checksums, so a damaged file is
  // reported by HDF5 instead of crashing it (libhdf5 1.10 crashes on some damaged files of the
  // original format; tests/fuzz/README.md). Every HDF5 reader since 1.8 (2008) reads it.
  if (H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0)
    throw H5Error("HDF5: cannot select the 1.8 file format");
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose,
                "creating '" + path + "' (is the directory writable?)");
}

Handle open_read(const std::string& path, const std::string& what) {
  silence_errors();
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw H5Error(what + " '" + path + "' does not exist");
  if (S_ISDIR(st.st_mode)) throw H5Error(what + " '" + path + "' is a directory, not a file");
  if (!S_ISREG(st.st_mode)) throw H5Error(what + " '" + path + "' is not a regular file");
  if (st.st_size == 0) throw H5Error(what + " '" + path + "' is empty (0 bytes): not an HDF5 file");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw H5Error(what + " '" + path + "' is not an HDF5 file (truncated or corrupt?)");
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw H5Error(what + " '" + path + "' cannot be opened: the file is damaged");
  return Handle(f, H5Fclose, "opening " + path);
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "creating group " + name);
}

Handle create_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "dataspace " + name);
  return Handle(H5Dcreate2(parent, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose, "creating dataset " + name);
}

Handle open_dataset(hid_t file, const std::string& path, const std::string& file_desc) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) {
    // Check each level so that a missing group is reported as such, not as an HDF5 failure.
    throw H5Error(file_desc + " has no dataset " + path + " (not a pint file of this kind, or incomplete)");
  }
  return Handle(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "opening " + path + " in " + file_desc);
}

std::vector<hsize_t> dataset_dims(hid_t dset) {
  Handle space(H5Dget_space(dset), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

void write_rows(hid_t dset, long lead, hsize_t row_begin, hsize_t rows, const double* data, int row_dims) {
  Handle file_space(H5Dget_space(dset), H5Sclose, "dataspace");
  const std::vector<hsize_t> dims = dataset_dims(dset);
  // Rank 1: rows are elements. Otherwise the last `row_dims` dimensions are one row (a state: [M], or
  // [nx, ny] for a 2-D grid), the dimension before them counts rows, and one more before that (if any)
  // is the slab `lead`.
  const std::size_t rank = dims.size();
  hsize_t m = 1;
  std::vector<hsize_t> start, count;
  if (rank == 1) {
    start = {row_begin};
    count = {rows};
  } else {
    if (rank != static_cast<std::size_t>(row_dims) + 1 && rank != static_cast<std::size_t>(row_dims) + 2)
      throw H5Error("HDF5: a dataset of rank " + std::to_string(rank) + " cannot hold rows of " +
                    std::to_string(row_dims) + " dimensions");
    if (rank == static_cast<std::size_t>(row_dims) + 2) {
      start.push_back(static_cast<hsize_t>(lead));
      count.push_back(1);
    }
    start.push_back(row_begin);
    count.push_back(rows);
    for (std::size_t d = rank - row_dims; d < rank; ++d) {
      start.push_back(0);
      count.push_back(dims[d]);
      m *= dims[d];
    }
  }
  const hsize_t n_mem = rows * m;
  Handle mem_space(H5Screate_simple(1, &n_mem, nullptr), H5Sclose, "memory space");
  if (rows == 0) {
    H5Sselect_none(file_space);
    H5Sselect_none(mem_space);
  } else {
    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  }
  Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "transfer list");
  H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE);
  static const double dummy = 0.0;
  if (H5Dwrite(dset, H5T_NATIVE_DOUBLE, mem_space, file_space, dxpl, rows ? data : &dummy) < 0)
    throw H5Error("HDF5: collective write failed (disk full?)");
}

std::vector<double> read_all(hid_t dset, const std::vector<hsize_t>& expected, const std::string& what) {
  // The shape is checked before anything is allocated: a damaged file may declare 2^40 elements.
  const auto dims = dataset_dims(dset);
  if (dims != expected) {
    std::string have, want;
    for (hsize_t d : dims) have += (have.empty() ? "" : " x ") + std::to_string(d);
    for (hsize_t d : expected) want += (want.empty() ? "" : " x ") + std::to_string(d);
    throw H5Error(what + " has the wrong shape (" + (have.empty() ? "scalar" : have) + ", expected " + want + ")");
  }
  std::size_t n = 1;
  for (hsize_t d : dims) n *= d;
  std::vector<double> out(n);
  if (n && H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw H5Error("HDF5: reading a dataset failed (damaged file?)");
  return out;
}

namespace {
Handle scalar_space() {
  return Handle(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
}
}  // namespace

void write_attr(hid_t obj, const std::string& name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(type, value.empty() ? 1 : value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  Handle space = scalar_space();
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  const char empty = '\0';
  H5Awrite(attr, type, value.empty() ? &empty : value.data());
}

void write_attr(hid_t obj, const std::string& name, double value) {
  Handle space = scalar_space();
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  H5Awrite(attr, H5T_NATIVE_DOUBLE, &value);
}

void write_attr(hid_t obj, const std::string& name, long value) {
  Handle space = scalar_space();
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_LONG, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  H5Awrite(attr, H5T_NATIVE_LONG, &value);
}

void write_attr(hid_t obj, const std::string& name, const std::vector<long>& values) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "attribute space");
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_LONG, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  if (n) H5Awrite(attr, H5T_NATIVE_LONG, values.data());
}

bool has_attr(hid_t obj, const std::string& name) {
  return H5Aexists(obj, name.c_str()) > 0;
}

namespace {
Handle open_attr(hid_t obj, const std::string& name, const std::string& file_desc) {
  if (!has_attr(obj, name)) throw H5Error(file_desc + " has no attribute '" + name + "' (not written by pint?)");
  return Handle(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
}
}  // namespace

namespace {
/// An attribute pint reads into one value must hold exactly one: reading an array attribute into a
/// single variable would write past it.
void require_single_value(hid_t attr, const std::string& name, const std::string& file_desc) {
  Handle space(H5Aget_space(attr), H5Sclose, "attribute dataspace");
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n != 1) throw H5Error(file_desc + ": attribute '" + name + "' holds " + std::to_string(n) + " values, not one");
}
}  // namespace

std::string read_attr_string(hid_t obj, const std::string& name, const std::string& file_desc) {
  Handle attr = open_attr(obj, name, file_desc);
  require_single_value(attr, name, file_desc);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute type");
  if (H5Tget_class(type) != H5T_STRING) throw H5Error(file_desc + ": attribute '" + name + "' is not a string");
  // The memory type takes the file's character set: HDF5 does not convert between ASCII and UTF-8
  // (h5py writes UTF-8), and a failed read must never pass for an empty string.
  const H5T_cset_t cset = H5Tget_cset(type);
  if (H5Tis_variable_str(type) > 0) {
    char* buf = nullptr;
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, cset);
    if (H5Aread(attr, mem, &buf) < 0)
      throw H5Error(file_desc + ": attribute '" + name + "' cannot be read as a string");
    std::string out = buf ? buf : "";
    H5free_memory(buf);
    return out;
  }
  const std::size_t size = H5Tget_size(type);
  if (size == 0 || size > (std::size_t(1) << 26))
    throw H5Error(file_desc + ": attribute '" + name + "' has an impossible string size");
  std::string out(size, '\0');
  if (H5Aread(attr, type, out.data()) < 0)
    throw H5Error(file_desc + ": attribute '" + name + "' cannot be read as a string");
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

double read_attr_double(hid_t obj, const std::string& name, const std::string& file_desc) {
  Handle attr = open_attr(obj, name, file_desc);
  require_single_value(attr, name, file_desc);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute type");
  const H5T_class_t cls = H5Tget_class(type);
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) throw H5Error(file_desc + ": attribute '" + name + "' is not a number");
  double v = 0.0;
  if (H5Aread(attr, H5T_NATIVE_DOUBLE, &v) < 0) throw H5Error(file_desc + ": attribute '" + name + "' is not a number");
  return v;
}

long read_attr_long(hid_t obj, const std::string& name, const std::string& file_desc) {
  Handle attr = open_attr(obj, name, file_desc);
  require_single_value(attr, name, file_desc);
  Handle type(H5Aget_type(attr), H5Tclose, "attribute type");
  // Not a float: 3.7 must not pass for 3.
  if (H5Tget_class(type) != H5T_INTEGER) throw H5Error(file_desc + ": attribute '" + name + "' is not an integer");
  long v = 0;
  if (H5Aread(attr, H5T_NATIVE_LONG, &v) < 0) throw H5Error(file_desc + ": attribute '" + name + "' is not an integer");
  return v;
}

}  // namespace pint::h5
