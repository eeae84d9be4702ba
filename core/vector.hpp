#pragma once
/// \file
/// The vector type of pint's algorithms. Parareal's bookkeeping (slice values, MPI buffers, HDF5 output)
/// lives in host memory; each propagator stages its input into its own execution space and its result
/// back (see Propagator::propagate). On host spaces that staging is a memcpy of one state per slice,
/// well under 1% of a propagator call of many time steps.

#include <Kokkos_Core.hpp>

namespace pint {

using HostVector = Kokkos::View<double*, Kokkos::LayoutRight, Kokkos::HostSpace>;
using ConstHostVector = Kokkos::View<const double*, Kokkos::LayoutRight, Kokkos::HostSpace>;

}  // namespace pint
