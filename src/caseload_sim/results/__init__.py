"""Results folders: what they hold, writing them and reading them back.

- :mod:`caseload_sim.results.kinds`: the kinds of folder (run, compare, sweep, staffing), the
  files of each, what each holds and how a folder's kind is recognised;
- :mod:`caseload_sim.results.writer`: writing a folder from experiment results
  (``write_results``, ``write_comparison``, ``write_sweep``, ``write_staffing``);
- :mod:`caseload_sim.results.reader`: ``ResultsFolder``, which opens a folder, knows its kind
  and reads its files, raising ``ResultsFolderError`` that names the folder and the file.

Charts and the report read folders only through the reader.
"""
