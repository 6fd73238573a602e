"""jixiao in a browser: the page's actions (``actions``), the static site (``site``) and a server
for one PC (``serve``). Everything runs in the page; nothing is sent anywhere."""
