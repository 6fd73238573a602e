"""The Excel add-in built from text: customUI.xml and VBA sources into ``jixiao.xlam``.

``ovba`` writes the VBA project structures (MS-OVBA), ``cfb`` the compound file that holds
them (MS-CFB), ``build`` the .xlam package; ``install`` puts it where Excel loads it.
"""
