Attribute VB_Name = "SelfTest"
Option Explicit
' Only in the self-test build: proves the project loads and runs (LibreOffice, headless).

Public Sub WriteCell()
    ThisWorkbook.Worksheets(1).Range("A1").Value = "jixiao self-test ok"
End Sub
