/// \file
/// libFuzzer target for an experiment, not for CI: raw bytes handed to HDF5 as a file. Can a file that
/// HDF5 did not write crash Debian's libhdf5 1.10 inside H5Fopen and the reads that pint does?
///
/// Each input is written to a memfd and passed to read_checkpoint (H5Fis_hdf5, H5Fopen, attribute
/// and dataset reads) with the metadata of a small valid checkpoint (Black-Scholes, 9 unknowns, 2
/// slices); then the file is walked as any reader would (H5Ovisit over every object, every attribute
/// and every small dataset read). Any std::exception is a clean outcome; a crash is a finding in the
/// library (or in pint, if the stack says so). Seed: the valid file itself, written to the path in
/// PINT_FUZZ_WRITE_CHECKPOINT at start-up (tests/fuzz/README.md shows the commands).

#include <hdf5.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "fuzz_support.hpp"
#include "io/checkpoint.hpp"

namespace {

pint::fuzz::CheckpointFixture* fx = nullptr;
pint::fuzz::ScratchFile* scratch = nullptr;

herr_t read_attr(hid_t loc, const char* name, const H5A_info_t*, void*) {
  const hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  if (a < 0) return 0;
  const hid_t t = H5Aget_type(a), s = H5Aget_space(a);
  const hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
  const size_t size = t >= 0 ? H5Tget_size(t) : 0;
  if (n >= 0 && size > 0 && static_cast<double>(n) * size < (1 << 24)) {
    std::vector<unsigned char> buf(static_cast<size_t>(n) * size + 1);
    if (H5Tget_class(t) != H5T_VLEN && H5Tis_variable_str(t) <= 0) H5Aread(a, t, buf.data());
  }
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
  H5Aclose(a);
  return 0;
}

herr_t visit(hid_t root, const char* name, const H5O_info_t* info, void*) {
  const hid_t o = H5Oopen(root, name, H5P_DEFAULT);
  if (o < 0) return 0;
  H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, read_attr, nullptr);
  if (info->type == H5O_TYPE_DATASET) {
    const hid_t s = H5Dget_space(o);
    const hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (n > 0 && n < (1 << 20)) {
      std::vector<double> buf(static_cast<size_t>(n));
      H5Dread(o, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    }
    if (s >= 0) H5Sclose(s);
  }
  H5Oclose(o);
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pint::fuzz::init_runtime(true);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  fx = new pint::fuzz::CheckpointFixture(pint::fuzz::make_checkpoint_fixture(8.0, 4.0, 2, 1));
  scratch = new pint::fuzz::ScratchFile("pint-fuzz-hdf5-raw");
  pint::fuzz::write_fixture_if_asked(*fx);  // the valid file, for inspection
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  scratch->write(data, size);
  try {
    (void)pint::read_checkpoint(scratch->path(), fx->meta, *fx->problem);
  } catch (const std::exception&) {
  }
  if (H5Fis_hdf5(scratch->path().c_str()) > 0) {
    const hid_t f = H5Fopen(scratch->path().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f >= 0) {
      H5Ovisit(f, H5_INDEX_NAME, H5_ITER_NATIVE, visit, nullptr);
      H5Fclose(f);
    }
  }
  return 0;
}
