Attribute VB_Name = "JixiaoRibbon"
Option Explicit
' Callbacks of the ribbon tab. Every action button has onAction="JxRun" and the name of
' a function of jixiao.excel.ribbon in its tag. Keep this module ASCII (code page 1252).

Public Sub JxRun(control As IRibbonControl)
    RunPython "import jixiao.excel.ribbon as r; r." & control.Tag & "()"
End Sub

Public Sub JxImportFunctions(control As IRibbonControl)
    ImportPythonUDFsToAddin
End Sub
