#include "io/checkpoint.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "io/hdf5_handle.hpp"
#include "io/run_config.hpp"

namespace pint {

namespace {

constexpr long kCheckpointFormat = 1;

std::vector<double> pack_rows(const std::vector<HostVector>& v, std::size_t from, std::size_t to, std::size_t m) {
  std::vector<double> buf;
  for (std::size_t j = from; j < to; ++j) buf.insert(buf.end(), v[j].data(), v[j].data() + m);
  return buf;
}

}  // namespace

void write_checkpoint(const std::string& path, MPI_Comm comm, const RunMetadata& meta, const Problem& problem,
                      const IterationState& st) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const long N = meta.slices, M = meta.unknowns;
  const SliceRange own = st.owned;
  const int cnt = own.end - own.begin;
  const bool root_rows = own.begin == 0;  // rank owning slice 0 also writes U[0]
  const std::string tmp = path + ".tmp";
  {
    h5::Handle f = h5::create_parallel(tmp, comm);
    h5::write_attr(f, "pint_checkpoint_format", kCheckpointFormat);
    h5::write_attr(f, "pint_version", std::string(pint_version()));
    h5::write_attr(f, "problem", meta.problem);
    h5::write_attr(f, "fine_signature", meta.fine_signature);
    h5::write_attr(f, "coarse_signature", meta.coarse_signature);
    h5::write_attr(f, "config_toml", meta.config_toml);
    h5::write_attr(f, "slices", N);
    h5::write_attr(f, "unknowns", M);
    h5::write_attr(f, "tolerance", meta.tolerance);
    h5::write_attr(f, "t0", meta.t0);
    h5::write_attr(f, "t1", meta.t1);
    h5::write_attr(f, "iteration", static_cast<long>(st.iteration));
    h5::write_attr(f, "active", static_cast<long>(st.active));

    h5::Handle x = h5::create_dataset(f, "grid_x", {static_cast<hsize_t>(M)});
    const std::vector<double> gx = x_of_unknowns(*problem.grid());
    h5::write_rows(x, 0, 0, rank == 0 ? M : 0, gx.data());

    h5::Handle u = h5::create_dataset(f, "U", {static_cast<hsize_t>(N + 1), static_cast<hsize_t>(M)});
    const auto ubuf = pack_rows(*st.U, root_rows ? 0 : 1, cnt + 1, M);
    h5::write_rows(u, 0, root_rows ? 0 : own.begin + 1, root_rows ? cnt + 1 : cnt, ubuf.data());
    h5::Handle g = h5::create_dataset(f, "G", {static_cast<hsize_t>(N), static_cast<hsize_t>(M)});
    const auto gbuf = pack_rows(*st.G, 0, cnt, M);
    h5::write_rows(g, 0, own.begin, cnt, gbuf.data());
    h5::Handle c = h5::create_dataset(f, "slice_change", {static_cast<hsize_t>(N)});
    h5::write_rows(c, 0, own.begin, cnt, st.slice_change->data());

    const long K1 = static_cast<long>(st.history->size());
    h5::Handle hist = h5::create_dataset(
        f, "history", {static_cast<hsize_t>(K1), static_cast<hsize_t>(N + 1), static_cast<hsize_t>(M)});
    for (long k = 0; k < K1; ++k) {
      std::vector<double> buf;
      if (root_rows) buf.insert(buf.end(), (*st.U)[0].data(), (*st.U)[0].data() + M);  // U^k[0] = u0
      const auto rest = pack_rows((*st.history)[k], 0, cnt, M);
      buf.insert(buf.end(), rest.begin(), rest.end());
      h5::write_rows(hist, k, root_rows ? 0 : own.begin + 1, root_rows ? cnt + 1 : cnt, buf.data());
    }

    const auto& log = *st.log;
    const hsize_t L = log.size();
    h5::Handle lg = h5::create_dataset(f, "log", {L, 6});
    std::vector<double> lbuf;
    for (const auto& r : log)
      lbuf.insert(lbuf.end(), {double(r.iteration), r.change, double(r.first_active_slice), double(r.fine_calls),
                               double(r.coarse_calls), r.seconds});
    h5::write_rows(lg, 0, 0, rank == 0 ? L : 0, lbuf.data());
    h5::write_attr(f, "complete", 1L);
  }
  MPI_Barrier(comm);
  if (rank == 0 && std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot move the checkpoint into place at '" + path + "'");
  MPI_Barrier(comm);
}

ResumeState read_checkpoint(const std::string& path, const RunMetadata& want, const Problem& problem) {
  const std::string desc = "checkpoint '" + path + "'";
  try {
    h5::Handle f = h5::open_read(path, "checkpoint");
    if (!h5::has_attr(f, "pint_checkpoint_format"))
      throw CheckpointError(desc + " is an HDF5 file but not a pint checkpoint");
    if (!h5::has_attr(f, "complete"))
      throw CheckpointError(desc + " is incomplete (written by a run that died mid-write)");
    auto mismatch = [&](const std::string& what, const std::string& file_value, const std::string& run_value,
                        const std::string& fix) {
      throw CheckpointError(desc + " does not match this run: " + what + " is " + file_value + " in the file but " +
                            run_value + " here (" + fix + ")");
    };
    const std::string problem_name = h5::read_attr_string(f, "problem", desc);
    if (problem_name != want.problem) mismatch("the problem", problem_name, want.problem, "--problem / --option");
    const long N = h5::read_attr_long(f, "slices", desc);
    if (N != want.slices) mismatch("the number of slices", std::to_string(N), std::to_string(want.slices), "--slices");
    const long M = h5::read_attr_long(f, "unknowns", desc);
    if (M != want.unknowns)
      mismatch("the grid size", std::to_string(M), std::to_string(want.unknowns), "--s-max / --ds or the grid keys");
    const std::string fs = h5::read_attr_string(f, "fine_signature", desc);
    if (fs != want.fine_signature)
      mismatch("the fine propagator", fs, want.fine_signature, "--fine-method / --fine-steps");
    const std::string cs = h5::read_attr_string(f, "coarse_signature", desc);
    if (cs != want.coarse_signature)
      mismatch("the coarse propagator", cs, want.coarse_signature, "--coarse-method / --coarse-steps");
    const double t0 = h5::read_attr_double(f, "t0", desc), t1 = h5::read_attr_double(f, "t1", desc);
    if (t0 != want.t0 || t1 != want.t1) {
      std::ostringstream a, b;
      a << "[" << t0 << ", " << t1 << "]";
      b << "[" << want.t0 << ", " << want.t1 << "]";
      mismatch("the time interval", a.str(), b.str(), "--maturity / t_end");
    }
    const auto x =
        h5::read_all(h5::open_dataset(f, "grid_x", desc), {static_cast<hsize_t>(M)}, desc + ": dataset grid_x");
    const std::vector<double> gx = x_of_unknowns(*problem.grid());
    if (x.size() != gx.size())
      mismatch("the number of grid coordinates", std::to_string(x.size()), std::to_string(gx.size()), "--s-max / --ds");
    for (std::size_t i = 0; i < gx.size(); ++i)
      if (!(x[i] == gx[i]))
        mismatch(fmt::format("grid coordinate {}", i), fmt::format("{}", x[i]), fmt::format("{}", gx[i]),
                 "--s-max / --ds or the grid keys");
    // The problem's own parameters enter F through the operator (a rate or volatility change keeps
    // the grid but changes F): compare every setting, except those that cannot change the iterates
    // computed so far and may therefore change on restart.
    const std::string cfg = h5::read_attr_string(f, "config_toml", desc);
    std::vector<std::string> diff;
    RunConfig defaults;  // a named object: nvcc 11.8's front end crashes on a RunConfig{} temporary here
    try {
      diff = differences(settings_of(parse_config_text(cfg, desc + " (its configuration)", defaults)),
                         settings_of(parse_config_text(want.config_toml, "this run's configuration", defaults)),
                         "in the checkpoint", "here", restart_may_change());
    } catch (const ConfigError& e) {
      throw CheckpointError(desc + " is damaged: its configuration does not read back (" + e.what() + ")");
    }
    if (!diff.empty()) {
      std::string list;
      for (std::size_t i = 0; i < diff.size() && i < 4; ++i) list += (i ? "; " : "") + diff[i];
      if (diff.size() > 4) list += fmt::format("; and {} more", diff.size() - 4);
      throw CheckpointError(desc + " was written by a run with other settings: " + list +
                            ". Restart with the settings of the interrupted run (only --max-iterations, "
                            "--tolerance, --batch-fine, the spaces, --sdc-node-ranks and the outputs may change)");
    }

    ResumeState rs;
    const auto damaged = [&](const std::string& what) { throw CheckpointError(desc + " is damaged: " + what); };
    if (const long format = h5::read_attr_long(f, "pint_checkpoint_format", desc); format != kCheckpointFormat)
      throw CheckpointError(desc + " has checkpoint format " + std::to_string(format) + ", this pint reads format " +
                            std::to_string(kCheckpointFormat));
    if (h5::read_attr_long(f, "complete", desc) != 1) damaged("its 'complete' mark is not 1");
    const long iteration = h5::read_attr_long(f, "iteration", desc);
    if (iteration < 0 || iteration > N)
      damaged(fmt::format("iteration = {} is outside [0, {}] (the slices)", iteration, N));
    const long active = h5::read_attr_long(f, "active", desc);
    // The first recomputed slice of iteration k is at least k - 1 (earlier slices are exact) and at most N.
    if (active < std::max(0L, iteration - 1) || active > N)
      damaged(fmt::format("active = {} is outside [{}, {}] for iteration {}", active, std::max(0L, iteration - 1), N,
                          iteration));
    rs.iteration = static_cast<int>(iteration);
    rs.active = static_cast<int>(active);
    // Every stored value must be finite: a NaN in a checkpoint is damage, not a divergence of this run.
    const auto finite_rows = [&](const std::vector<HostVector>& rows, const char* name) {
      for (std::size_t n = 0; n < rows.size(); ++n)
        for (long i = 0; i < M; ++i)
          if (!std::isfinite(rows[n](i)))
            damaged(
                fmt::format("dataset {} holds a non-finite value ({}) at row {}, index {}", name, rows[n](i), n, i));
    };
    auto rows = [&](const char* name, long count) {
      const auto h = h5::open_dataset(f, name, desc);
      const auto dims = h5::dataset_dims(h);
      if (dims.size() != 2 || static_cast<long>(dims[0]) != count || static_cast<long>(dims[1]) != M)
        throw CheckpointError(desc + ": dataset " + name + " has the wrong shape");
      const auto all = h5::read_all(h, dims, desc + ": dataset " + name);
      std::vector<HostVector> out;
      for (long n = 0; n < count; ++n) {
        out.emplace_back(std::string(name), static_cast<std::size_t>(M));
        std::copy(all.begin() + n * M, all.begin() + (n + 1) * M, out.back().data());
      }
      return out;
    };
    rs.U = rows("U", N + 1);
    rs.G = rows("G", N);
    finite_rows(rs.U, "U");
    finite_rows(rs.G, "G");
    HostVector u0("u0", static_cast<std::size_t>(M));
    problem.initial_condition(u0);
    for (long i = 0; i < M; ++i)
      if (!(rs.U[0](i) == u0(i)))
        damaged(fmt::format("U[0] (the initial value) differs from this problem's initial condition at index {}", i));
    rs.slice_change = h5::read_all(h5::open_dataset(f, "slice_change", desc), {static_cast<hsize_t>(N)},
                                   desc + ": dataset slice_change");
    if (static_cast<long>(rs.slice_change.size()) != N)
      throw CheckpointError(desc + ": slice_change has the wrong size");
    for (long n = 0; n < N; ++n)
      if (std::isnan(rs.slice_change[n]) || rs.slice_change[n] < 0)
        damaged(fmt::format("slice_change[{}] = {} is not a change (>= 0)", n, rs.slice_change[n]));
    {
      const auto h = h5::open_dataset(f, "history", desc);
      const auto dims = h5::dataset_dims(h);
      if (dims.size() != 3 || static_cast<long>(dims[1]) != N + 1 || static_cast<long>(dims[2]) != M)
        throw CheckpointError(desc + ": history has the wrong shape");
      if (static_cast<long>(dims[0]) != iteration + 1)
        damaged(fmt::format("history holds {} iterates, but iteration {} needs {}", dims[0], iteration, iteration + 1));
      const auto all = h5::read_all(h, dims, desc + ": dataset history");
      for (hsize_t k = 0; k < dims[0]; ++k) {
        std::vector<HostVector> row;
        for (long n = 0; n <= N; ++n) {
          row.emplace_back(std::string("history"), static_cast<std::size_t>(M));
          const auto off = (k * (N + 1) + n) * M;
          std::copy(all.begin() + off, all.begin() + off + M, row.back().data());
        }
        finite_rows(row, "history");
        for (long i = 0; i < M; ++i)  // every iterate starts from the initial value
          if (!(row[0](i) == u0(i)))
            damaged(fmt::format("history iterate {} does not start from the initial value (index {})", k, i));
        rs.history.push_back(std::move(row));
      }
    }
    const auto lg = h5::read_all(h5::open_dataset(f, "log", desc), {static_cast<hsize_t>(iteration + 1), 6},
                                 desc + ": dataset log (one record of 6 numbers per iteration)");
    if (lg.size() % 6 != 0) damaged("dataset log does not have 6 columns");
    for (std::size_t i = 0; i + 6 <= lg.size(); i += 6) {
      const long row = static_cast<long>(i / 6);
      const auto whole = [](double v, double hi) {
        return std::isfinite(v) && v >= 0 && v <= hi && v == std::floor(v);
      };
      if (!(lg[i] == row) || !whole(lg[i + 2], N) || !whole(lg[i + 3], 1e9) || !whole(lg[i + 4], 1e9) ||
          !(lg[i + 5] >= 0 && std::isfinite(lg[i + 5])) || std::isnan(lg[i + 1]) || lg[i + 1] < 0)
        damaged(fmt::format("row {} of dataset log is not a valid iteration record", row));
      IterationRecord r;
      r.iteration = static_cast<int>(lg[i]);
      r.change = lg[i + 1];
      r.first_active_slice = static_cast<int>(lg[i + 2]);
      r.fine_calls = static_cast<int>(lg[i + 3]);
      r.coarse_calls = static_cast<int>(lg[i + 4]);
      r.seconds = lg[i + 5];
      rs.log.push_back(r);
    }
    if (static_cast<int>(rs.log.size()) != rs.iteration + 1) throw CheckpointError(desc + ": log is incomplete");
    return rs;
  } catch (const h5::H5Error& e) {
    throw CheckpointError(std::string("cannot restart: ") + e.what());
  }
}

}  // namespace pint
