/// \file
/// libFuzzer target: structure-aware fuzzing of read_checkpoint.
///
/// At start-up pint writes one valid checkpoint (fuzz_support.cpp: Black-Scholes call, s_max 400,
/// dS 1 -> 401 unknowns, 4 slices, taken after iteration 2) into memory. Each input is a short list of
/// edits (format below). They are applied, through HDF5 itself, to a copy of that file opened as an
/// in-memory file image (core driver, no backing store); the edited image is then handed to
/// read_checkpoint(path, meta, problem) with the run's own metadata. HDF5 only ever opens files that
/// HDF5 wrote, so what is fuzzed is pint's validation, not the library's parser of raw bytes (which
/// is not robust: see tests/fuzz/README.md).
///
/// Clean outcomes: a std::exception (CheckpointError ...), or a returned ResumeState that satisfies
/// every invariant of violated_invariant() (fuzz_support.hpp). A violated invariant, a crash, a
/// sanitizer report, an HDF5 object left open, or an exception not derived from std::exception is a
/// finding.
///
/// Input format (all integers little-endian; reading past the end gives zeros, so every byte string
/// is a valid script): up to 16 edits, each
///     target:u8  op:u8  arguments...
/// target % 20 picks an attribute (0..13, kAttrs) or a dataset (14..19, kDatasets). Values:
///     long   = sel:u8, sel < 128: kLongs[sel % n], else a raw i64 follows
///     double = sel:u8, sel < 128: kDoubles[sel % n], else a raw f64 follows
///     dim    = sel:u8, sel < 128: kDims[sel % n], else a raw u16 follows
/// Attribute ops (op % 8):
///   0 delete
///   1 scalar integer:  ftype:u8 (% 6: i64le i32le u64le i8 i64be u32le), long
///   2 scalar float:    ftype:u8 (% 3: f64le f32le f64be), double
///   3 fixed string:    content, pad:u8 (% 3: nullpad nullterm spacepad; bit 7: UTF-8)
///   4 variable-length string: content
///   5 array:           rank:u8 (% 3 + 1), rank x extent:u8 (% 6), kind:u8 (% 4: long double fstring
///                      vstring), then one long / double per element (strings: the original text)
///   6 null dataspace:  kind:u8 (% 4, as for 5)
///   7 other class:     kind:u8 (% 6: compound{i64,f64} opaque enum bitfield array[2]-of-i64
///                      object-reference), long
///   content = mode:u8 (% 5): 0 original truncated to len:u16; 1 original with byte pos:u16 set to
///             value:u8; 2 len:u8 raw bytes; 3 original + len:u8 raw bytes; 4 NUL at pos:u16
///   (the original text of a numeric attribute is its decimal value)
/// Dataset ops (op % 9); values are the dataset's current ones read as doubles (the original data
/// if it no longer reads as numbers):
///   0 delete
///   1 set one element:   index:u32 (% size), double
///   2 set every element: double
///   3 set a range:       start:u32 (% size), count:u16, double
///   4 reshape:           rank:u8 (% 4; 0 = scalar), rank x dim, fill double; values copied in
///                        row-major order; more than 2^16 elements -> chunked and left unwritten
///   5 retype:            ftype:u8 (% 7: f32 i32 i64 f64be u8 string[16] compound{f64,i32})
///   6 replace by:        kind:u8 (% 6: group, soft link to dataset sel:u8, dangling soft link,
///                        hard link to dataset sel:u8, external link, committed datatype)
///   7 scalar / null:     kind:u8 (% 2: scalar with double, H5S_NULL)
///   8 chunked + filter:  filter:u8 (% 4: deflate, shuffle+deflate, fletcher32, none), chunk:u8

#include <hdf5.h>

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "io/checkpoint.hpp"

namespace {

using pint::fuzz::CheckpointFixture;

CheckpointFixture* fx = nullptr;
bool verbose = false;  // PINT_FUZZ_VERBOSE=1: say what became of each input (replaying files)
pint::fuzz::ScratchFile* scratch = nullptr;

const char* const kAttrs[] = {"pint_checkpoint_format",
                              "pint_version",
                              "problem",
                              "fine_signature",
                              "coarse_signature",
                              "config_toml",
                              "slices",
                              "unknowns",
                              "tolerance",
                              "t0",
                              "t1",
                              "iteration",
                              "active",
                              "complete"};
const char* const kDatasets[] = {"grid_x", "U", "G", "slice_change", "history", "log"};
constexpr int kNumAttrs = 14, kNumDatasets = 6;
constexpr hsize_t kMaxWritten = hsize_t(1) << 16;  // elements written for real; larger shapes stay unwritten

std::vector<long> longs;
std::vector<double> doubles;
std::vector<hsize_t> dims_table;
std::vector<std::string> attr_text;  // original attribute values as text

struct Original {
  std::vector<hsize_t> dims;
  std::vector<double> values;
};
std::vector<Original> original;  // per dataset

/// Reads the script; past the end everything is zero.
struct Reader {
  const uint8_t* p;
  size_t n;
  bool empty() const { return n == 0; }
  uint64_t bytes(int k) {
    uint64_t v = 0;
    for (int i = 0; i < k; ++i) {
      uint64_t b = 0;
      if (n) {
        b = *p++;
        --n;
      }
      v |= b << (8 * i);
    }
    return v;
  }
  uint8_t u8() { return static_cast<uint8_t>(bytes(1)); }
  uint16_t u16() { return static_cast<uint16_t>(bytes(2)); }
  uint32_t u32() { return static_cast<uint32_t>(bytes(4)); }
  long i64() { return static_cast<long>(bytes(8)); }
  double f64() {
    const uint64_t b = bytes(8);
    double d;
    std::memcpy(&d, &b, sizeof d);
    return d;
  }
  long value_long() {
    const uint8_t s = u8();
    return s < 128 ? longs[s % longs.size()] : i64();
  }
  double value_double() {
    const uint8_t s = u8();
    return s < 128 ? doubles[s % doubles.size()] : f64();
  }
  hsize_t dim() {
    const uint8_t s = u8();
    return s < 128 ? dims_table[s % dims_table.size()] : u16();
  }
};

/// Closes an HDF5 id of any kind.
struct Id {
  hid_t id = -1;
  Id(hid_t i = -1) : id(i) {}
  ~Id() {
    if (id >= 0 && H5Iis_valid(id) > 0) H5Idec_ref(id);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  operator hid_t() const { return id; }
  bool ok() const { return id >= 0; }
};

void remove_attr(hid_t f, const char* name) {
  if (H5Aexists(f, name) > 0) H5Adelete(f, name);
}

void put_attr(hid_t f, const char* name, hid_t ftype, hid_t space, hid_t mtype, const void* buf) {
  remove_attr(f, name);
  Id a(H5Acreate2(f, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT));
  if (a.ok() && buf) H5Awrite(a, mtype, buf);
}

std::string content(Reader& r, const std::string& orig) {
  std::string s = orig;
  switch (r.u8() % 5) {
    case 0:
      s.resize(r.u16() % (orig.size() + 1));
      break;
    case 1: {
      const uint16_t pos = r.u16();
      const uint8_t v = r.u8();
      if (!s.empty()) s[pos % s.size()] = static_cast<char>(v);
      break;
    }
    case 2: {
      s.clear();
      const uint8_t len = r.u8();
      for (int i = 0; i < len; ++i) s.push_back(static_cast<char>(r.u8()));
      break;
    }
    case 3: {
      const uint8_t len = r.u8();
      for (int i = 0; i < len; ++i) s.push_back(static_cast<char>(r.u8()));
      break;
    }
    default: {
      const uint16_t pos = r.u16();
      if (!s.empty()) s[pos % s.size()] = '\0';
    }
  }
  return s;
}

hid_t fixed_string_type(std::size_t size) {
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, size ? size : 1);
  H5Tset_strpad(t, H5T_STR_NULLPAD);
  return t;
}

hid_t vlen_string_type() {
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  return t;
}

void edit_attr(hid_t f, int which, Reader& r) {
  const char* name = kAttrs[which];
  const std::string& orig = attr_text[which];
  Id scalar(H5Screate(H5S_SCALAR));
  switch (r.u8() % 8) {
    case 0:
      remove_attr(f, name);
      break;
    case 1: {
      static const hid_t* types[] = {&H5T_STD_I64LE_g, &H5T_STD_I32LE_g, &H5T_STD_U64LE_g,
                                     &H5T_STD_I8LE_g,  &H5T_STD_I64BE_g, &H5T_STD_U32LE_g};
      const hid_t ft = *types[r.u8() % 6];
      const long long v = r.value_long();
      put_attr(f, name, ft, scalar, H5T_NATIVE_LLONG, &v);
      break;
    }
    case 2: {
      static const hid_t* types[] = {&H5T_IEEE_F64LE_g, &H5T_IEEE_F32LE_g, &H5T_IEEE_F64BE_g};
      const hid_t ft = *types[r.u8() % 3];
      const double v = r.value_double();
      put_attr(f, name, ft, scalar, H5T_NATIVE_DOUBLE, &v);
      break;
    }
    case 3: {
      const std::string s = content(r, orig);
      const uint8_t pad = r.u8();
      Id t(fixed_string_type(s.size()));
      static const H5T_str_t pads[] = {H5T_STR_NULLPAD, H5T_STR_NULLTERM, H5T_STR_SPACEPAD};
      H5Tset_strpad(t, pads[(pad & 0x7f) % 3]);
      if (pad & 0x80) H5Tset_cset(t, H5T_CSET_UTF8);
      std::string buf = s;
      buf.resize(s.empty() ? 1 : s.size(), '\0');
      put_attr(f, name, t, scalar, t, buf.data());
      break;
    }
    case 4: {
      const std::string s = content(r, orig);
      Id t(vlen_string_type());
      const char* p = s.c_str();
      put_attr(f, name, t, scalar, t, &p);
      break;
    }
    case 5: {
      const int rank = r.u8() % 3 + 1;
      hsize_t d[3] = {1, 1, 1};
      hsize_t n = 1;
      for (int i = 0; i < rank; ++i) n *= (d[i] = r.u8() % 6);
      Id space(H5Screate_simple(rank, d, nullptr));
      const int kind = r.u8() % 4;
      if (kind == 0) {
        std::vector<long long> v(n);
        for (auto& x : v) x = r.value_long();
        put_attr(f, name, H5T_STD_I64LE, space, H5T_NATIVE_LLONG, n ? v.data() : nullptr);
      } else if (kind == 1) {
        std::vector<double> v(n);
        for (auto& x : v) x = r.value_double();
        put_attr(f, name, H5T_IEEE_F64LE, space, H5T_NATIVE_DOUBLE, n ? v.data() : nullptr);
      } else if (kind == 2) {
        Id t(fixed_string_type(orig.size()));
        std::string buf;
        for (hsize_t i = 0; i < n; ++i) buf += orig.empty() ? std::string(1, '\0') : orig;
        put_attr(f, name, t, space, t, n ? buf.data() : nullptr);
      } else {
        Id t(vlen_string_type());
        std::vector<const char*> v(n, orig.c_str());
        put_attr(f, name, t, space, t, n ? v.data() : nullptr);
      }
      break;
    }
    case 6: {
      Id space(H5Screate(H5S_NULL));
      const int kind = r.u8() % 4;
      Id t(kind == 0   ? H5Tcopy(H5T_STD_I64LE)
           : kind == 1 ? H5Tcopy(H5T_IEEE_F64LE)
           : kind == 2 ? fixed_string_type(orig.size())
                       : vlen_string_type());
      put_attr(f, name, t, space, t, nullptr);
      break;
    }
    default: {
      const int kind = r.u8() % 6;
      const long long v = r.value_long();
      if (kind == 0) {
        struct Pair {
          long long a;
          double b;
        } pr{v, static_cast<double>(v)};
        Id t(H5Tcreate(H5T_COMPOUND, sizeof(Pair)));
        H5Tinsert(t, "a", HOFFSET(Pair, a), H5T_NATIVE_LLONG);
        H5Tinsert(t, "b", HOFFSET(Pair, b), H5T_NATIVE_DOUBLE);
        put_attr(f, name, t, scalar, t, &pr);
      } else if (kind == 1) {
        Id t(H5Tcreate(H5T_OPAQUE, 8));
        H5Tset_tag(t, "pint-fuzz");
        put_attr(f, name, t, scalar, t, &v);
      } else if (kind == 2) {
        Id t(H5Tenum_create(H5T_NATIVE_INT));
        for (int i = 0; i < 3; ++i) {
          const std::string m = "m" + std::to_string(i);
          H5Tenum_insert(t, m.c_str(), &i);
        }
        const int e = static_cast<int>(static_cast<unsigned long long>(v) % 3);
        put_attr(f, name, t, scalar, t, &e);
      } else if (kind == 3) {
        put_attr(f, name, H5T_STD_B64LE, scalar, H5T_NATIVE_B64, &v);
      } else if (kind == 4) {
        const hsize_t two = 2;
        Id t(H5Tarray_create2(H5T_NATIVE_LLONG, 1, &two));
        const long long pr[2] = {v, v};
        put_attr(f, name, t, scalar, t, pr);
      } else {
        hobj_ref_t ref;
        if (H5Rcreate(&ref, f, "/", H5R_OBJECT, -1) >= 0)
          put_attr(f, name, H5T_STD_REF_OBJ, scalar, H5T_STD_REF_OBJ, &ref);
      }
    }
  }
}

/// The dataset's current values as doubles (and its shape), or the original ones.
Original current(hid_t f, int which) {
  const char* name = kDatasets[which];
  if (H5Lexists(f, name, H5P_DEFAULT) > 0) {
    H5O_info_t info;
    if (H5Oget_info_by_name(f, name, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET) {
      Id d(H5Dopen2(f, name, H5P_DEFAULT));
      Id space(H5Dget_space(d));
      Id type(H5Dget_type(d));
      const H5T_class_t cls = H5Tget_class(type);
      const int rank = H5Sget_simple_extent_ndims(space);
      if (d.ok() && space.ok() && (cls == H5T_FLOAT || cls == H5T_INTEGER) && rank >= 0 && rank <= 8) {
        Original o;
        o.dims.resize(rank);
        if (rank > 0) H5Sget_simple_extent_dims(space, o.dims.data(), nullptr);
        const hssize_t n = H5Sget_simple_extent_npoints(space);
        if (n >= 0 && static_cast<hsize_t>(n) <= kMaxWritten) {
          o.values.resize(n);
          if (n == 0 || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, o.values.data()) >= 0) return o;
        }
      }
    }
  }
  return original[which];
}

/// Replaces the dataset by one of `ftype` and shape `dims`, written with `values` (if given).
void put_dataset(hid_t f, const char* name, hid_t ftype, const std::vector<hsize_t>& dims, const double* values,
                 hid_t dcpl = H5P_DEFAULT) {
  if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
  Id space(dims.empty() ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  if (!space.ok()) return;
  Id d(H5Dcreate2(f, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  if (d.ok() && values) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
}

void edit_dataset(hid_t f, int which, Reader& r) {
  const char* name = kDatasets[which];
  const int op = r.u8() % 9;
  if (op == 0) {
    if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
    return;
  }
  if (op == 6) {
    if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
    const int kind = r.u8() % 6;
    const std::string other = std::string("/") + kDatasets[r.u8() % kNumDatasets];
    if (kind == 0) {
      Id g(H5Gcreate2(f, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    } else if (kind == 1) {
      H5Lcreate_soft(other.c_str(), f, name, H5P_DEFAULT, H5P_DEFAULT);
    } else if (kind == 2) {
      H5Lcreate_soft("/no/such/object", f, name, H5P_DEFAULT, H5P_DEFAULT);
    } else if (kind == 3) {
      if (H5Lexists(f, other.c_str() + 1, H5P_DEFAULT) > 0)
        H5Lcreate_hard(f, other.c_str(), f, name, H5P_DEFAULT, H5P_DEFAULT);
    } else if (kind == 4) {
      H5Lcreate_external("/nonexistent/pint-fuzz-external.h5", "/U", f, name, H5P_DEFAULT, H5P_DEFAULT);
    } else {
      Id t(H5Tcopy(H5T_IEEE_F64LE));
      H5Tcommit2(f, name, t, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    }
    return;
  }
  Original cur = current(f, which);
  const hsize_t n = cur.values.size();
  switch (op) {
    case 1: {
      const uint32_t i = r.u32();
      const double v = r.value_double();
      if (n) cur.values[i % n] = v;
      break;
    }
    case 2: {
      const double v = r.value_double();
      for (auto& x : cur.values) x = v;
      break;
    }
    case 3: {
      const uint32_t start = r.u32();
      const uint16_t count = r.u16();
      const double v = r.value_double();
      for (hsize_t k = 0; n && k < count && (start % n) + k < n; ++k) cur.values[(start % n) + k] = v;
      break;
    }
    case 4: {
      const int rank = r.u8() % 4;
      std::vector<hsize_t> dims(rank);
      for (auto& d : dims) d = r.dim();
      const double fill = r.value_double();
      // Number of elements, saturating (HDF5 decides whether such a shape can exist).
      hsize_t total = 1;
      bool huge = false;
      for (hsize_t d : dims) {
        if (d && total > kMaxWritten / d) huge = true;
        total = huge ? total : total * d;
      }
      if (!huge && total <= kMaxWritten) {
        std::vector<double> v(total, fill);
        std::copy(cur.values.begin(), cur.values.begin() + std::min<hsize_t>(n, total), v.begin());
        put_dataset(f, name, H5T_IEEE_F64LE, dims, v.data());
      } else {  // chunked, never written: every element reads as the fill value
        Id dcpl(H5Pcreate(H5P_DATASET_CREATE));
        std::vector<hsize_t> chunk(rank);
        for (int i = 0; i < rank; ++i) chunk[i] = std::max<hsize_t>(1, std::min<hsize_t>(dims[i], 64));
        H5Pset_chunk(dcpl, rank, chunk.data());
        H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill);
        put_dataset(f, name, H5T_IEEE_F64LE, dims, nullptr, dcpl);
      }
      return;
    }
    case 5: {
      const int kind = r.u8() % 7;
      if (kind < 5) {
        static const hid_t* types[] = {&H5T_IEEE_F32LE_g, &H5T_STD_I32LE_g, &H5T_STD_I64LE_g, &H5T_IEEE_F64BE_g,
                                       &H5T_STD_U8LE_g};
        put_dataset(f, name, *types[kind], cur.dims, cur.values.data());
      } else if (kind == 5) {
        if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
        Id t(fixed_string_type(16));
        Id space(cur.dims.empty() ? H5Screate(H5S_SCALAR)
                                  : H5Screate_simple(static_cast<int>(cur.dims.size()), cur.dims.data(), nullptr));
        std::vector<char> buf(std::max<hsize_t>(n, 1) * 16, '\0');
        for (hsize_t i = 0; i < n; ++i) std::snprintf(&buf[i * 16], 16, "%.9g", cur.values[i]);
        Id d(H5Dcreate2(f, name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        if (d.ok()) H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
      } else {
        struct Rec {
          double v;
          int i;
        };
        if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
        Id t(H5Tcreate(H5T_COMPOUND, sizeof(Rec)));
        H5Tinsert(t, "v", HOFFSET(Rec, v), H5T_NATIVE_DOUBLE);
        H5Tinsert(t, "i", HOFFSET(Rec, i), H5T_NATIVE_INT);
        Id space(cur.dims.empty() ? H5Screate(H5S_SCALAR)
                                  : H5Screate_simple(static_cast<int>(cur.dims.size()), cur.dims.data(), nullptr));
        std::vector<Rec> buf(std::max<hsize_t>(n, 1), Rec{0.0, 0});
        for (hsize_t i = 0; i < n; ++i) buf[i] = {cur.values[i], static_cast<int>(i)};
        Id d(H5Dcreate2(f, name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        if (d.ok()) H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
      }
      return;
    }
    case 7: {
      if (r.u8() % 2 == 0) {
        const double v = r.value_double();
        put_dataset(f, name, H5T_IEEE_F64LE, {}, &v);
      } else {
        if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
        Id space(H5Screate(H5S_NULL));
        Id d(H5Dcreate2(f, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
      }
      return;
    }
    default: {  // 8: chunked, with a filter
      const int filter = r.u8() % 4;
      const hsize_t c = r.u8() % 64 + 1;
      if (cur.dims.empty()) return;
      Id dcpl(H5Pcreate(H5P_DATASET_CREATE));
      std::vector<hsize_t> chunk(cur.dims.size());
      for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = std::max<hsize_t>(1, std::min(cur.dims[i], c));
      // Writing millions of tiny chunks through the core driver exhausts memory inside libhdf5 before
      // pint sees the file (regressions/.../harness_many_tiny_chunks): this edit is for shapes that
      // give at most 4096 chunks; larger ones are left as they are.
      double chunks = 1;
      for (std::size_t i = 0; i < chunk.size(); ++i) chunks *= std::ceil(double(cur.dims[i]) / double(chunk[i]));
      if (chunks > 4096) return;
      H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
      if (filter == 1) H5Pset_shuffle(dcpl);
      if (filter <= 1 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) H5Pset_deflate(dcpl, 6);
      if (filter == 2) H5Pset_fletcher32(dcpl);
      put_dataset(f, name, H5T_IEEE_F64LE, cur.dims, cur.values.data(), dcpl);
      return;
    }
  }
  put_dataset(f, name, H5T_IEEE_F64LE, cur.dims, cur.values.data());
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "==pint_fuzz_checkpoint== FINDING: %s\n", what.c_str());
  std::abort();
}

/// Where the edited file is closed to (see apply).
std::string edit_path;

std::vector<uint8_t> apply(const uint8_t* data, size_t size) {
  // The edits are made in memory on a copy of the valid file (core driver), which is then *closed*
  // back into edit_path (its backing store) rather than its image taken while open: a file of
  // the 1.8 format (superblock 2) taken while open for writing still says so, and HDF5 refuses to
  // open it again, which would make every input a refusal at H5Fopen and test nothing of pint's.
  Id fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fapl_core(fapl, 1 << 16, 1);  // read into memory, written back on close
  {
    std::ofstream valid(edit_path, std::ios::binary | std::ios::trunc);
    valid.write(reinterpret_cast<const char*>(fx->file.data()), static_cast<std::streamsize>(fx->file.size()));
    if (!valid) finding("cannot write the valid checkpoint to " + edit_path + " (harness broken)");
  }
  {
    Id f(H5Fopen(edit_path.c_str(), H5F_ACC_RDWR, fapl));
    if (!f.ok()) finding("HDF5 cannot open the valid checkpoint's image (harness broken)");
    Reader r{data, size};
    for (int e = 0; e < 16 && !r.empty(); ++e) {
      const int target = r.u8() % (kNumAttrs + kNumDatasets);
      if (target < kNumAttrs)
        edit_attr(f, target, r);
      else
        edit_dataset(f, target - kNumAttrs, r);
    }
  }  // closed: written to edit_path
  if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0) finding("the edit harness leaks HDF5 ids (harness broken)");
  std::ifstream in(edit_path, std::ios::binary);
  std::vector<uint8_t> out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (out.empty()) finding("the edited file was not written (harness broken)");
  return out;
}

void read_originals() {
  const long N = fx->slices, M = fx->unknowns;
  const auto& m = fx->meta;
  auto num = [](double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return std::string(b);
  };
  attr_text = {"1",
               pint::pint_version(),
               m.problem,
               m.fine_signature,
               m.coarse_signature,
               m.config_toml,
               std::to_string(N),
               std::to_string(M),
               num(m.tolerance),
               num(m.t0),
               num(m.t1),
               std::to_string(fx->iteration),
               std::to_string(fx->iteration),
               "1"};
  longs = {0,
           1,
           -1,
           2,
           N - 1,
           N,
           N + 1,
           M - 1,
           M,
           M + 1,
           2 * M,
           fx->iteration,
           fx->iteration + 1,
           INT_MAX,
           long(INT_MAX) + 1,
           INT_MIN,
           long(INT_MIN) - 1,
           1L << 32,
           (1L << 32) + 1,
           (1L << 32) + N,
           LONG_MAX,
           LONG_MIN,
           1000000,
           1L << 53};
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  doubles = {0.0,
             -0.0,
             1.0,
             -1.0,
             0.5,
             nan,
             -nan,
             inf,
             -inf,
             DBL_MAX,
             -DBL_MAX,
             DBL_MIN,
             std::numeric_limits<double>::denorm_min(),
             1e-10,
             1e300,
             -1e300,
             2147483648.0,
             4294967296.0,
             9.3e18,
             -9.3e18,
             1e50,
             double(M),
             double(N),
             1e-300,
             double(fx->iteration),
             std::nextafter(1.0, 2.0)};
  dims_table = {0,
                1,
                2,
                3,
                hsize_t(N - 1),
                hsize_t(N),
                hsize_t(N + 1),
                hsize_t(N + 2),
                hsize_t(M - 1),
                hsize_t(M),
                hsize_t(M + 1),
                6,
                7,
                hsize_t(fx->iteration),
                hsize_t(fx->iteration + 1),
                hsize_t(fx->iteration + 2),
                hsize_t(1) << 20,
                hsize_t(1) << 31,
                hsize_t(1) << 32,
                (hsize_t(1) << 32) + 1,
                hsize_t(1) << 40,
                hsize_t(1) << 62,
                (hsize_t(1) << 62) + 1,
                hsize_t(1) << 63};
  // The original datasets.
  Id fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fapl_core(fapl, 1 << 16, 0);
  H5Pset_file_image(fapl, fx->file.data(), fx->file.size());
  Id f(H5Fopen("pint-fuzz-image.h5", H5F_ACC_RDONLY, fapl));
  original.clear();
  for (int i = 0; i < kNumDatasets; ++i) {
    original.push_back(Original{});
    original.back() = current(f, i);
    if (original.back().values.empty())
      finding(std::string("cannot read dataset ") + kDatasets[i] + " (harness broken)");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pint::fuzz::init_runtime(true);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  fx = new CheckpointFixture(pint::fuzz::make_checkpoint_fixture(400.0, 100.0, 4, 2));
  scratch = new pint::fuzz::ScratchFile("pint-fuzz-checkpoint");
  edit_path = scratch->path() + ".edit";
  std::atexit([] { std::remove(edit_path.c_str()); });
  read_originals();
  verbose = std::getenv("PINT_FUZZ_VERBOSE") != nullptr;
  pint::fuzz::write_fixture_if_asked(*fx);  // the valid file, for inspection
  // The harness must reach pint's checks: with no edits, the checkpoint has to load and satisfy every
  // invariant. Without this, a harness that damaged every file would refuse every input and pass.
  const std::vector<uint8_t> unedited = apply(nullptr, 0);
  scratch->write(unedited.data(), unedited.size());
  try {
    const std::string bad =
        pint::fuzz::violated_invariant(pint::read_checkpoint(scratch->path(), fx->meta, *fx->problem), *fx);
    if (!bad.empty()) finding("the unedited checkpoint breaks an invariant (harness broken): " + bad);
  } catch (const std::exception& e) {
    finding(std::string("the unedited checkpoint is refused (harness broken): ") + e.what());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> image = apply(data, size);
  scratch->write(image.data(), image.size());
  bool returned = false;
  std::string bad;
  try {
    const pint::ResumeState rs = pint::read_checkpoint(scratch->path(), fx->meta, *fx->problem);
    returned = true;
    bad = pint::fuzz::violated_invariant(rs, *fx);
  } catch (const std::exception& e) {
    // refused with a message: the expected outcome for a damaged or foreign checkpoint
    if (verbose) std::fprintf(stderr, "==pint_fuzz_checkpoint== refused: %s\n", e.what());
  }
  if (verbose && returned && bad.empty()) std::fprintf(stderr, "==pint_fuzz_checkpoint== accepted\n");
  if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0)
    finding("read_checkpoint left HDF5 objects open (" + std::to_string(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL)) +
            ")");
  H5garbage_collect();  // HDF5's free lists would otherwise keep every block size ever used (RSS grows)
  if (returned && !bad.empty() && !pint::fuzz::ignored(bad))
    finding("read_checkpoint accepted a checkpoint that breaks an invariant: " + bad);
  return 0;
}
