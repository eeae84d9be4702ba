#pragma once
// `pint paraflow`: ParaFlowS / ParaFlow / gradient descent on seed 001's problems (models/learned/paraflow.hpp),
// one configuration or the paper's sweeps, with the table of R = L_ParaFlowS / L_GD as Markdown and PNG.
namespace pint {
int paraflow_command(int argc, char** argv);  ///< argv[0] is "paraflow"
}  // namespace pint
