#include "io/trajectory_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/hdf5_handle.hpp"
#include "spaces/registry.hpp"

namespace pint {

namespace {

std::string basename_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// Rows this rank writes of a [N+1, M] block: rank 0 also writes row 0 (the initial value).
struct Rows {
  hsize_t begin, count;
};
Rows my_rows(const SliceRange& own) {
  if (own.begin == 0) return {0, static_cast<hsize_t>(own.end + 1)};
  return {static_cast<hsize_t>(own.begin + 1), static_cast<hsize_t>(own.end - own.begin)};
}

/// Packs the rows of an iterate: `first` is U[0] (rank 0 only), `rest[j]` = U[begin + j + 1].
std::vector<double> pack(const HostVector* first, const std::vector<HostVector>& rest, std::size_t m) {
  std::vector<double> buf;
  buf.reserve((rest.size() + 1) * m);
  if (first) buf.insert(buf.end(), first->data(), first->data() + m);
  for (const auto& v : rest) buf.insert(buf.end(), v.data(), v.data() + m);
  return buf;
}

/// The shape of one stored state: [M] on a 1-D grid, [nx, ny] on a 2-D one (one component).
std::vector<hsize_t> state_shape(const Grid& g, long M) {
  if (g.dims() == 2 && g.components == 1) return {g.nx(), g.ny()};
  return {static_cast<hsize_t>(M)};
}

std::string joined(const std::vector<hsize_t>& v, const char* sep = " ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + std::to_string(v[i]);
  return s;
}

void write_xdmf(const std::string& xmf, const std::string& h5, const TrajectoryInput& in, long stored_rows,
                bool has_serial, bool has_exact) {
  const RunMetadata& meta = *in.meta;
  const long N = meta.slices, M = meta.unknowns;
  const std::string file = basename_of(h5);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
    << "<Xdmf Version=\"2.0\">\n <Domain>\n"
    << "  <Grid Name=\"pint trajectory\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  const std::vector<hsize_t> shape = state_shape(*in.problem->grid(), M);
  const std::string shp = joined(shape);
  const std::size_t r = shape.size();
  // One state of a [stored, N+1, shape...] (three) or [N+1, shape...] dataset, as a hyperslab: start,
  // stride and count rows of the dataset's rank.
  auto slab = [&](const std::string& name, const std::string& dataset, long lead, long n, bool three) {
    const std::size_t rank = r + (three ? 2 : 1);
    std::string start = three ? std::to_string(lead) + " " + std::to_string(n) : std::to_string(n), stride, count;
    for (std::size_t d = 0; d < r; ++d) start += " 0";
    for (std::size_t d = 0; d < rank; ++d) stride += d ? " 1" : "1";
    count = three ? "1 1 " + shp : "1 " + shp;
    const std::string dims =
        (three ? std::to_string(stored_rows) + " " : std::string()) + std::to_string(N + 1) + " " + shp;
    x << "     <Attribute Name=\"" << name << "\" AttributeType=\"Scalar\" Center=\"Node\">\n"
      << "      <DataItem ItemType=\"HyperSlab\" Dimensions=\"" << shp << "\" Type=\"HyperSlab\">\n"
      << "       <DataItem Dimensions=\"3 " << rank << "\" Format=\"XML\">" << start << "  " << stride << "  " << count
      << "</DataItem>\n"
      << "       <DataItem Dimensions=\"" << dims << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << file
      << ":" << dataset << "</DataItem>\n"
      << "      </DataItem>\n     </Attribute>\n";
  };
  const Grid& grid = *in.problem->grid();
  for (long n = 0; n <= N; ++n) {
    x << "   <Grid Name=\"slice boundary " << n << "\" GridType=\"Uniform\">\n"
      << "    <Time Value=\"" << Parareal::slice_time(meta.t0, meta.t1, static_cast<int>(n), meta.slices) << "\"/>\n";
    if (grid.dims() == 1) {
      x << "    <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"" << M << "\"/>\n"
        << "    <Geometry GeometryType=\"X_Y_Z\">\n";
      for (const char* c : {"/grid/x", "/grid/zeros", "/grid/zeros"})
        x << "     <DataItem Dimensions=\"" << M << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << file
          << ":" << c << "</DataItem>\n";
    } else {
      // A structured 2-D mesh (ParaView shows it as a surface, coloured or warped by the value).
      x << "    <Topology TopologyType=\"2DSMesh\" Dimensions=\"" << grid.nx() << " " << grid.ny() << "\"/>\n"
        << "    <Geometry GeometryType=\"XYZ\">\n"
        << "     <DataItem Dimensions=\"" << M << " 3\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << file
        << ":/grid/xyz</DataItem>\n";
    }
    x << "    </Geometry>\n";
    slab("parareal", "/parareal/iterates", stored_rows - 1, n, true);
    if (has_serial) slab("serial_fine", "/serial_fine/values", 0, n, false);
    if (has_exact) slab("exact", "/exact/values", 0, n, false);
    x << "   </Grid>\n";
  }
  x << "  </Grid>\n </Domain>\n</Xdmf>\n";
  const std::string tmp = xmf + ".tmp";
  {
    std::ofstream out(tmp);
    out << x.str();
    if (!out) throw std::runtime_error("cannot write XDMF sidecar '" + xmf + "'");
  }
  if (std::rename(tmp.c_str(), xmf.c_str()) != 0)
    throw std::runtime_error("cannot move XDMF sidecar into place: " + xmf);
}

}  // namespace

std::string xdmf_path_for(const std::string& h5) {
  const auto dot = h5.find_last_of('.');
  const auto slash = h5.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return h5 + ".xmf";
  return h5.substr(0, dot) + ".xmf";
}

void write_trajectory(const std::string& path, MPI_Comm comm, const TrajectoryInput& in) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const RunMetadata& meta = *in.meta;
  const PararealResult& r = *in.result;
  const long N = meta.slices, M = meta.unknowns;
  const SliceRange own = r.owned;
  const int cnt = own.end - own.begin;
  const Rows rows = my_rows(own);
  const bool all = in.all_iterations && !r.local_history.empty();
  const long stored = all ? static_cast<long>(r.local_history.size()) : 1;
  int has_serial = (rank == 0 && in.serial && !in.serial->empty()) ? 1 : 0;
  MPI_Bcast(&has_serial, 1, MPI_INT, 0, comm);
  const bool has_exact = in.problem->has_exact_solution();
  const std::string tmp = path + ".tmp";

  {
    h5::Handle f = h5::create_parallel(tmp, comm);
    h5::write_attr(f, "pint_version", std::string(pint_version()));
    h5::write_attr(f, "git_revision", std::string(pint_git_revision()));
    h5::write_attr(f, "kokkos_version",
                   std::to_string(KOKKOS_VERSION / 10000) + "." + std::to_string((KOKKOS_VERSION / 100) % 100) + "." +
                       std::to_string(KOKKOS_VERSION % 100));
    h5::write_attr(f, "kokkos_spaces", available_space_names());
    h5::write_attr(f, "problem", meta.problem);
    h5::write_attr(f, "fine_propagator", meta.fine_propagator);
    h5::write_attr(f, "coarse_propagator", meta.coarse_propagator);
    h5::write_attr(f, "fine_space", meta.fine_space);
    h5::write_attr(f, "coarse_space", meta.coarse_space);
    h5::write_attr(f, "config_toml", meta.config_toml);
    h5::write_attr(f, "algorithm", meta.algorithm);
    h5::write_attr(f, "coarse_correction", meta.coarse_correction);
    h5::write_attr(f, "mpi_size", static_cast<long>(meta.mpi_size));
    h5::write_attr(f, "slices", N);
    h5::write_attr(f, "unknowns", M);
    h5::write_attr(f, "iterations", static_cast<long>(r.iterations));
    h5::write_attr(f, "converged", static_cast<long>(r.converged ? 1 : 0));
    h5::write_attr(f, "parareal_seconds", r.wall_seconds);
    h5::write_attr(f, "fine_slice_seconds", r.fine_slice_seconds);
    h5::write_attr(f, "coarse_slice_seconds", r.coarse_slice_seconds);
    double serial_seconds = in.serial_seconds;
    MPI_Bcast(&serial_seconds, 1, MPI_DOUBLE, 0, comm);
    h5::write_attr(f, "serial_fine_seconds", serial_seconds >= 0 ? serial_seconds : std::nan(""));

    const auto& grid = *in.problem->grid();
    h5::Handle g_grid = h5::create_group(f, "grid");
    if (grid.dims() == 1) {
      // 1-D: x per unknown, and zeros for ParaView's other two coordinates.
      h5::Handle x = h5::create_dataset(g_grid, "x", {static_cast<hsize_t>(M)});
      h5::Handle zeros = h5::create_dataset(g_grid, "zeros", {static_cast<hsize_t>(M)});
      const std::vector<double> z(M, 0.0), gx = x_of_unknowns(grid);
      h5::write_rows(x, 0, 0, rank == 0 ? M : 0, gx.data());
      h5::write_rows(zeros, 0, 0, rank == 0 ? M : 0, z.data());
      // Several values per point (a two-species model): stored point-major, x repeated per component.
      if (grid.components > 1) h5::write_attr(g_grid, "components", static_cast<long>(grid.components));
    } else {
      // 2-D: the axes, and every point's (x, y, 0) for XDMF's structured-mesh geometry. A state row of
      // M = nx ny values is the [nx][ny] array (x slowest), the order of the points here.
      const hsize_t nx = grid.nx(), ny = grid.ny();
      h5::Handle x = h5::create_dataset(g_grid, "x", {nx});
      h5::Handle y = h5::create_dataset(g_grid, "y", {ny});
      h5::Handle xyz = h5::create_dataset(g_grid, "xyz", {nx * ny, 3});
      std::vector<double> pts;
      if (rank == 0)
        for (hsize_t i = 0; i < nx; ++i)
          for (hsize_t j = 0; j < ny; ++j) pts.insert(pts.end(), {grid.x[i], grid.y[j], 0.0});
      h5::write_rows(x, 0, 0, rank == 0 ? nx : 0, grid.x.data());
      h5::write_rows(y, 0, 0, rank == 0 ? ny : 0, grid.y.data());
      h5::write_rows(xyz, 0, 0, rank == 0 ? nx * ny : 0, pts.data());
      h5::write_attr(g_grid, "shape", std::vector<long>{static_cast<long>(nx), static_cast<long>(ny)});
    }
    h5::Handle g_time = h5::create_group(f, "time");
    h5::Handle t = h5::create_dataset(g_time, "t", {static_cast<hsize_t>(N + 1)});
    std::vector<double> times(N + 1);
    for (long n = 0; n <= N; ++n) times[n] = Parareal::slice_time(meta.t0, meta.t1, static_cast<int>(n), meta.slices);
    h5::write_rows(t, 0, 0, rank == 0 ? N + 1 : 0, times.data());

    h5::Handle g_par = h5::create_group(f, "parareal");
    // A state is [M] on a 1-D grid and [nx, ny] on a 2-D one: iterates [S, N+1, nx, ny].
    const std::vector<hsize_t> shape = state_shape(grid, M);
    const int row_dims = static_cast<int>(shape.size());
    std::vector<hsize_t> it_dims{static_cast<hsize_t>(stored), static_cast<hsize_t>(N + 1)};
    it_dims.insert(it_dims.end(), shape.begin(), shape.end());
    h5::Handle it = h5::create_dataset(g_par, "iterates", it_dims);
    std::vector<long> which;
    HostVector u0("u0", static_cast<std::size_t>(M));
    in.problem->initial_condition(u0);
    // The iteration each stored row belongs to. Parareal: row k is U^k. MGRIT: row j is the state of the
    // j-th computed residual (its iteration in the log); with skip and one iteration, the predictor (0).
    std::vector<long> row_iteration;
    for (const auto& rec : r.log)
      if (!std::isnan(rec.residual)) row_iteration.push_back(rec.iteration);
    const bool residual_rows = !r.level_points.empty();
    if (residual_rows && row_iteration.empty()) row_iteration.push_back(0);
    for (long s = 0; s < stored; ++s) {
      long k = all ? s : r.iterations;
      if (residual_rows)
        k = all ? row_iteration[std::min<std::size_t>(s, row_iteration.size() - 1)] : row_iteration.back();
      which.push_back(k);
      std::vector<HostVector> rest(cnt);
      for (int j = 0; j < cnt; ++j) rest[j] = all ? r.local_history[s][j] : r.boundaries[own.begin + j + 1];
      const auto buf = pack(own.begin == 0 ? &u0 : nullptr, rest, M);
      h5::write_rows(it, s, rows.begin, rows.count, buf.data(), row_dims);
    }
    h5::write_attr(it, "iterations_stored", which);
    h5::Handle ch = h5::create_dataset(g_par, "change", {static_cast<hsize_t>(r.log.size())});
    std::vector<double> changes;
    for (const auto& rec : r.log) changes.push_back(rec.iteration == 0 ? std::nan("") : rec.change);
    h5::write_rows(ch, 0, 0, rank == 0 ? changes.size() : 0, changes.data());
    // MGRIT's residual norm per iteration (NaN where none was computed; all NaN for Parareal).
    h5::Handle rs = h5::create_dataset(g_par, "residual", {static_cast<hsize_t>(r.log.size())});
    std::vector<double> residuals;
    for (const auto& rec : r.log) residuals.push_back(rec.residual);
    h5::write_rows(rs, 0, 0, rank == 0 ? residuals.size() : 0, residuals.data());
    if (residual_rows)
      h5::write_attr(g_par, "points_per_level", std::vector<long>(r.level_points.begin(), r.level_points.end()));
    // Per iteration: the error against the serial fine solution (with --compare-serial and every iterate
    // kept) and a learned correction's model size (basis vectors or stored pairs) after each fine phase.
    if (in.has_error) {
      const std::vector<double> none;
      const std::vector<double>& e = (rank == 0 && in.error_vs_serial) ? *in.error_vs_serial : none;
      h5::Handle ed = h5::create_dataset(g_par, "error_vs_serial", {static_cast<hsize_t>(r.log.size())});
      h5::write_rows(ed, 0, 0, rank == 0 ? std::min(e.size(), r.log.size()) : 0, e.data());
    }
    if (!r.correction.name.empty() && !r.correction.model_size.empty()) {
      std::vector<long> sizes(r.correction.model_size.begin(), r.correction.model_size.end());
      h5::write_attr(g_par, "correction_model_size", sizes);
    }

    auto write_full = [&](const char* group, const std::vector<HostVector>* rows_on_root) {
      h5::Handle g = h5::create_group(f, group);
      std::vector<hsize_t> d_dims{static_cast<hsize_t>(N + 1)};
      d_dims.insert(d_dims.end(), shape.begin(), shape.end());
      h5::Handle d = h5::create_dataset(g, "values", d_dims);
      std::vector<double> buf;
      if (rank == 0)
        for (const auto& v : *rows_on_root) buf.insert(buf.end(), v.data(), v.data() + M);
      h5::write_rows(d, 0, 0, rank == 0 ? N + 1 : 0, buf.data(), row_dims);
    };
    if (has_serial) write_full("serial_fine", in.serial);
    if (has_exact) {
      std::vector<HostVector> exact;
      if (rank == 0)
        for (long n = 0; n <= N; ++n) {
          exact.emplace_back(std::string("exact"), static_cast<std::size_t>(M));
          in.problem->exact_solution(times[n], exact.back());
        }
      write_full("exact", &exact);
    }
  }  // every handle closed: the file is complete
  MPI_Barrier(comm);
  if (rank == 0) {
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot move the trajectory into place at '" + path + "'");
    write_xdmf(xdmf_path_for(path), path, in, stored, has_serial, has_exact);
  }
  MPI_Barrier(comm);
}

}  // namespace pint
