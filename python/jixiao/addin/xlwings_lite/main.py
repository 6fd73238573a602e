"""jixiao in xlwings Lite: the 绩效目标 actions as scripts and the JX_ cell functions.

Written by `jixiao lite` with the requirements.txt beside it: paste this file into xlwings
Lite's main.py and those lines into its requirements.txt (see addin/README.md). Each script
calls the same function as the desktop ribbon button (jixiao.excel.ribbon), on the workbook
xlwings Lite hands it; the cell functions are the desktop ones (jixiao.excel.udfs), with the
same names, arguments and results. Results always go to new sheets: a clerk's sheet is never
overwritten.
"""

import xlwings as xw
from jixiao.excel import ribbon
from jixiao.excel.udfs import JX_CHECK, JX_PACK, JX_UNPACK, JX_VALUE
from xlwings import script

__all__ = ["JX_CHECK", "JX_PACK", "JX_UNPACK", "JX_VALUE"]  # registered as cell functions


@script(name="拆分")
def unpack(book: xw.Book) -> None:
    """当前工作表（宽表或卡片）拆成新的“指标明细”工作表，每条指标一行。"""
    ribbon.unpack(book)


@script(name="合并")
def pack(book: xw.Book) -> None:
    """当前“指标明细”合并为广州格式宽表（每个项目一行，合计为公式）。"""
    ribbon.pack(book)


@script(name="生成卡片")
def cards(book: xw.Book) -> None:
    """每个项目一张绩效目标表，按公开格式。"""
    ribbon.cards(book)


@script(name="校验")
def validate(book: xw.Book) -> None:
    """问题单元格标色（不改原有底色），新建“校验结果”工作表（点单元格地址可跳转）。"""
    ribbon.validate(book)


@script(name="清除标记")
def clear_marks(book: xw.Book) -> None:
    """去掉“校验”标出的颜色，单元格原有的底色和格式不变。"""
    ribbon.clear_marks(book)


@script(name="对比")
def compare(book: xw.Book) -> None:
    """当前工作表（新版本）与上年或审核前的工作表（名称含“上年”“审核前”，或在左边）逐项对比。"""
    ribbon.compare(book)


@script(name="补全")
def fill(book: xw.Book) -> None:
    """编码、指标值、合计、序号补全到新工作表，并列出每处修改。"""
    ribbon.fill(book)


@script(name="生成自评表")
def selfeval(book: xw.Book) -> None:
    """由当前工作表的绩效目标生成每个项目的自评表和“自评明细”（新工作表）。"""
    ribbon.selfeval(book)


@script(name="模板")
def template(book: xw.Book) -> None:
    """插入空白“指标明细”模板工作表（一级、二级下拉选择）。"""
    ribbon.template(book)


@script(name="汇总本工作簿")
def consolidate_book(book: xw.Book) -> None:
    """把本工作簿中各单位的工作表汇总为新的“项目汇总”“指标明细”等工作表。"""
    ribbon.consolidate_book(book)
