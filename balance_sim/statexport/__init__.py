"""Reader for the education statistics export (教育事业统计基层表): multi-row merged headers read as
header paths, mapped declaratively to the canonical tables, with a report of what was mapped.

    result = read_export(["小学.xlsx", "初中.xlsx"], campus_parents="campuses.csv")
    print(result.report)
    write_canonical(result, "county_data")
"""
from balance_sim.statexport.mapping import Mapping, load_mapping
from balance_sim.statexport.reader import ExportResult, read_export
from balance_sim.statexport.report import MappingReport
from balance_sim.statexport.writer import write_canonical

__all__ = ["ExportResult", "Mapping", "MappingReport", "load_mapping", "read_export", "write_canonical"]
