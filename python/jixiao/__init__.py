"""jixiao (绩效): read, check, fill and consolidate 项目支出绩效目标表 workbooks."""

__version__ = "0.1.0"
