#pragma once
/// \file
/// LibTorch's headers, for every file of pint that uses LibTorch. Under hipcc (a HIP build compiles
/// every file of a Kokkos target with it) LibTorch's c10 headers, seeing __HIPCC__, include
/// <thrust/complex.h> and the fp16 device intrinsics of a ROCm build of PyTorch: Debian 12 has neither
/// rocThrust nor a ROCm LibTorch, only a CPU one, and CUDA's thrust in /usr/include then clashes with HIP.
/// pint never calls LibTorch from device code, so the headers are read as plain host code there.

#if defined(__HIPCC__) && !defined(PINT_TORCH_IS_ROCM)
#pragma push_macro("__HIPCC__")
#pragma push_macro("__HIP_DEVICE_COMPILE__")
#undef __HIPCC__
#undef __HIP_DEVICE_COMPILE__
#define PINT_TORCH_HEADERS_AS_HOST_CODE
#endif

#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/torch.h>

#if defined(PINT_TORCH_HEADERS_AS_HOST_CODE)
#pragma pop_macro("__HIP_DEVICE_COMPILE__")
#pragma pop_macro("__HIPCC__")
#undef PINT_TORCH_HEADERS_AS_HOST_CODE
#endif
