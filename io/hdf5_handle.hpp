#pragma once
/// \file
/// Minimal RAII and helpers over the HDF5 C API (the C++ API has no parallel support). Every failure
/// becomes an H5Error with a message that says what pint was doing, never HDF5's error-stack dump.

#include <hdf5.h>
#include <mpi.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace pint::h5 {

class H5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Owns one hid_t and closes it with the matching H5*close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close, const std::string& what);
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }
  void reset();

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

/// Turns off HDF5's automatic printing of its error stack (pint reports errors itself).
void silence_errors();

/// Creates `path` (truncating) for parallel access on `comm`: every rank of comm must call it.
Handle create_parallel(const std::string& path, MPI_Comm comm);
/// Opens an existing file read-only (independent access, any rank). Throws a clear error if the file
/// does not exist, is not HDF5, or is damaged.
Handle open_read(const std::string& path, const std::string& what);

Handle create_group(hid_t parent, const std::string& name);
/// A double dataset of the given shape (created collectively in a parallel file).
Handle create_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims);
Handle open_dataset(hid_t file, const std::string& path, const std::string& file_desc);
std::vector<hsize_t> dataset_dims(hid_t dset);

/// Collective write of rows [row_begin, row_begin + rows) of a dataset: elements of a rank-1 dataset,
/// rows of a rank-2 one, rows of slab `lead` (index in dimension 0) of a rank-3 one. A row may span the
/// last `row_dims` dimensions (a 2-D state [nx, ny]: row_dims 2). Every rank calls; a rank with rows == 0
/// selects nothing.
void write_rows(hid_t dset, long lead, hsize_t row_begin, hsize_t rows, const double* data, int row_dims = 1);
/// Reads a whole double dataset whose shape must be `expected` (checked before allocating: a damaged
/// file may declare any size); throws H5Error naming `what` otherwise.
std::vector<double> read_all(hid_t dset, const std::vector<hsize_t>& expected, const std::string& what);

void write_attr(hid_t obj, const std::string& name, const std::string& value);
void write_attr(hid_t obj, const std::string& name, double value);
void write_attr(hid_t obj, const std::string& name, long value);
void write_attr(hid_t obj, const std::string& name, const std::vector<long>& values);
bool has_attr(hid_t obj, const std::string& name);
std::string read_attr_string(hid_t obj, const std::string& name, const std::string& file_desc);
double read_attr_double(hid_t obj, const std::string& name, const std::string& file_desc);
long read_attr_long(hid_t obj, const std::string& name, const std::string& file_desc);

}  // namespace pint::h5
