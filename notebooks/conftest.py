"""nbval runs these notebooks in batch: no one is at the kernel, so interactive explorers skip."""
import os

os.environ["BALANCE_SIM_BATCH"] = "1"  # read by balance_sim.report.explorer
