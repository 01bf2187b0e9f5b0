"""nbval runs these notebooks in batch: no one is at the kernel, so interactive explorers skip,
and the reports go to a temporary folder, never into the project's reports/ (a relative out_dir
is read against it, report.parameters.REPORTS_BASE_ENV); the kernels nbval starts inherit this
environment."""
import os
import tempfile

from balance_sim.report.parameters import REPORTS_BASE_ENV

os.environ["BALANCE_SIM_BATCH"] = "1"  # read by balance_sim.report.explorer
os.environ.setdefault(REPORTS_BASE_ENV, tempfile.mkdtemp(prefix="balance_sim_nbval_"))
