@echo off
rem The cqms admin command of CQMS Desktop (see the README) on the bundled Python, in UTF-8
rem mode so that output redirected to a file is UTF-8 whatever the console code page.
setlocal
"%~dp0python\python.exe" -X utf8 -m cqms_desktop.cli %*
exit /b %ERRORLEVEL%
