; The CQMS Desktop installer for 64-bit Windows 10/11, built on Linux by packaging/windows/build.py:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVIVERSION=0.1.0.0 -DSTAGE=<stage> -DOUTFILE=<exe> cqms.nsi
; <stage> holds python\ (the embeddable CPython with the program in Lib\site-packages), cqms.cmd
; and cqms.ico.
;
; Command line (office IT):
;   setup.exe [/S] [/DB=<database URL>] [/REMIND=HH:MM | /NOREMIND] [/D=<install folder, last>]
; /S installs silently. /DB= writes the URL to %ProgramData%\CQMS\cqms.ini ([database] url=,
; UTF-8), which every user's CQMS Desktop on the PC reads before its own setting.
; The "Daily e-mail reminders" component (on unless /NOREMIND) registers the Task Scheduler task
; "CQMS Desktop\Daily reminders": `cqms remind` every day at /REMIND= (default 07:30) as SYSTEM,
; on the preset database. Several PCs may have it: each reminder is sent once (the database
; records who sent it). The uninstaller removes the task. Exit codes: 0 installed,
; 1 cancelled, 2 refused (a message says why; in /S mode nothing is shown).

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin
; A file that cannot be replaced (the program still running during an upgrade) stops the install
; instead of being skipped, which would leave a mix of two versions.
AllowSkipFiles off

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh

!define APPNAME "CQMS Desktop"
!define PUBLISHER "CQMS"
!define APPKEY "Software\CQMS\CQMS Desktop"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CQMS Desktop"
!define SHORTCUT "$SMPROGRAMS\CQMS Desktop.lnk"
!define REMIND_TASK "CQMS Desktop\Daily reminders"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
; An ASCII path: Qt cannot start from a folder whose name has other characters.
InstallDir "$PROGRAMFILES64\CQMS Desktop"
; An upgrade goes into the folder of the installed version.
InstallDirRegKey HKLM "${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VIVERSION}"
VIFileVersion "${VIVERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} ${VERSION} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${STAGE}\cqms.ico"
!define MUI_UNICON "${STAGE}\cqms.ico"
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_COMPONENTS
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the default; Windows' display language picks another.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "German"

; The preset database URL from /DB= ("" without it).
Var DbUrl
; The daily reminders' time from /REMIND= (HH:MM, default 07:30).
Var RemindAt

LangString NonAscii ${LANG_ENGLISH} "The folder $INSTDIR has characters other than English letters, digits and punctuation in its name. ${APPNAME} cannot start from such a folder. Choose another one, e.g. $PROGRAMFILES64\CQMS Desktop."
LangString NonAscii ${LANG_SIMPCHINESE} "文件夹 $INSTDIR 的名称包含英文字母、数字和标点以外的字符，${APPNAME} 无法从这样的文件夹启动。请选择其他文件夹，例如 $PROGRAMFILES64\CQMS Desktop。"
LangString NonAscii ${LANG_GERMAN} "Der Ordnername $INSTDIR enthält andere Zeichen als englische Buchstaben, Ziffern und Satzzeichen. ${APPNAME} kann aus einem solchen Ordner nicht starten. Wählen Sie einen anderen, z. B. $PROGRAMFILES64\CQMS Desktop."
LangString NotWritable ${LANG_ENGLISH} "Setup cannot write to the folder $INSTDIR. Choose another folder or ask your administrator. Nothing was installed."
LangString NotWritable ${LANG_SIMPCHINESE} "安装程序无法写入文件夹 $INSTDIR。请选择其他文件夹或联系管理员。未安装任何内容。"
LangString NotWritable ${LANG_GERMAN} "Das Setup kann nicht in den Ordner $INSTDIR schreiben. Wählen Sie einen anderen Ordner oder fragen Sie Ihren Administrator. Es wurde nichts installiert."
LangString BadDatabase ${LANG_ENGLISH} "The database given with /DB= is not a database URL: $DbUrl$\r$\nUse sqlite:///C:/path/cqms.sqlite3, sqlite://///server/share/cqms.sqlite3, postgresql://user@server/cqms or mysql://user@server/cqms. Nothing was installed."
LangString BadDatabase ${LANG_SIMPCHINESE} "/DB= 指定的不是数据库 URL：$DbUrl$\r$\n请使用 sqlite:///C:/path/cqms.sqlite3、sqlite://///server/share/cqms.sqlite3、postgresql://user@server/cqms 或 mysql://user@server/cqms。未安装任何内容。"
LangString BadDatabase ${LANG_GERMAN} "Die mit /DB= angegebene Datenbank ist keine Datenbank-URL: $DbUrl$\r$\nVerwenden Sie sqlite:///C:/pfad/cqms.sqlite3, sqlite://///server/freigabe/cqms.sqlite3, postgresql://benutzer@server/cqms oder mysql://benutzer@server/cqms. Es wurde nichts installiert."
LangString BadRemind ${LANG_ENGLISH} "The time given with /REMIND= is not a time of day HH:MM (for example /REMIND=07:30): $RemindAt. Nothing was installed."
LangString BadRemind ${LANG_SIMPCHINESE} "/REMIND= 指定的不是 HH:MM 格式的时间（例如 /REMIND=07:30）：$RemindAt。未安装任何内容。"
LangString BadRemind ${LANG_GERMAN} "Die mit /REMIND= angegebene Zeit ist keine Uhrzeit HH:MM (zum Beispiel /REMIND=07:30): $RemindAt. Es wurde nichts installiert."
LangString TaskFailed ${LANG_ENGLISH} "The daily reminders could not be registered with the Task Scheduler (schtasks exit code $0). Register them by hand as the README shows."
LangString TaskFailed ${LANG_SIMPCHINESE} "无法在任务计划程序中登记每日提醒（schtasks 退出代码 $0）。请按 README 的说明手动登记。"
LangString TaskFailed ${LANG_GERMAN} "Die täglichen Erinnerungen konnten nicht in der Aufgabenplanung eingetragen werden (schtasks-Rückgabewert $0). Tragen Sie sie von Hand ein, wie die README zeigt."
LangString RemindSection ${LANG_ENGLISH} "Daily e-mail reminders"
LangString RemindSection ${LANG_SIMPCHINESE} "每日电子邮件提醒"
LangString RemindSection ${LANG_GERMAN} "Tägliche E-Mail-Erinnerungen"
LangString RemindHelp ${LANG_ENGLISH} "Every day at $RemindAt, e-mail each user what waits for them, and escalate overdue complaints (a Task Scheduler task running cqms remind)."
LangString RemindHelp ${LANG_SIMPCHINESE} "每天 $RemindAt 向每位用户发送其待办事项，并上报逾期的顾客抱怨（运行 cqms remind 的计划任务）。"
LangString RemindHelp ${LANG_GERMAN} "Jeden Tag um $RemindAt jedem Benutzer mailen, was auf ihn wartet, und überfällige Reklamationen eskalieren (eine Aufgabe der Aufgabenplanung, die cqms remind ausführt)."
LangString IniFailed ${LANG_ENGLISH} "Setup could not write $APPDATA\CQMS\cqms.ini; the preset database is not set."
LangString IniFailed ${LANG_SIMPCHINESE} "安装程序无法写入 $APPDATA\CQMS\cqms.ini，未设置预设数据库。"
LangString IniFailed ${LANG_GERMAN} "Das Setup konnte $APPDATA\CQMS\cqms.ini nicht schreiben; die voreingestellte Datenbank ist nicht gesetzt."


; Push a string, then the highest character code allowed (126: printable ASCII only; 65535: any
; character but the control characters); pops both and pushes 1 if every character of the
; string is in range (from space up to the highest), else 0.
Function CharsInRange
  Exch $R5
  Exch
  Exch $R0
  Push $R1
  Push $R2
  Push $R3
  Push $R4
  StrCpy $R1 0
  StrCpy $R4 1
  ${Do}
    StrCpy $R2 $R0 1 $R1
    ${If} $R2 == ""
      ${Break}
    ${EndIf}
    ; The character's UTF-16 code: copy it into a 2-byte buffer and read that as a number.
    System::Call "*(&w1 R2)p.R3"
    System::Call "*$R3(&i2 .R2)"
    System::Free $R3
    ${If} $R2 < 32
    ${OrIf} $R2 > $R5
      StrCpy $R4 0
      ${Break}
    ${EndIf}
    IntOp $R1 $R1 + 1
  ${Loop}
  StrCpy $R0 $R4
  Pop $R4
  Pop $R3
  Pop $R2
  Pop $R1
  Exch $R0  ; the result on the stack, $R0 as it was
  Exch
  Pop $R5
FunctionEnd

; Interactive installs: refuse a non-ASCII folder on the folder page and let the user choose again.
Function DirectoryLeave
  Push $INSTDIR
  Push 126
  Call CharsInRange
  Pop $0
  ${If} $0 != 1
    MessageBox MB_ICONEXCLAMATION|MB_OK "$(NonAscii)"
    Abort
  ${EndIf}
FunctionEnd

; Writes the text on the stack, UTF-8 encoded without a BOM, to the open file handle $0.
; (NSIS's FileWrite would convert it to the PC's ANSI code page.)
Function WriteUtf8
  Exch $R0
  Push $R1
  Push $R2
  System::Call "kernel32::WideCharToMultiByte(i 65001, i 0, w R0, i -1, p 0, i 0, p 0, p 0) i .R1"
  System::Alloc $R1
  Pop $R2
  System::Call "kernel32::WideCharToMultiByte(i 65001, i 0, w R0, i -1, p R2, i R1, p 0, p 0) i .R1"
  IntOp $R1 $R1 - 1  ; without the terminating NUL
  System::Call "kernel32::WriteFile(p r0, p R2, i R1, *i 0, p 0) i .R1"
  System::Free $R2
  ${If} $R1 == 0
    SetErrors
  ${EndIf}
  Pop $R2
  Pop $R1
  Pop $R0
FunctionEnd

; Sets $DbUrl from /DB=<url>, /DB="<url with spaces>" or "/DB=<url with spaces>" on the
; command line; sets the error flag without /DB=. (FileFunc's GetOptions cannot be used: it
; splits the value at every "/" of the URL.)
Function ParseDbOption
  Push $R0
  Push $R1
  Push $R2
  Push $R3
  ${GetParameters} $R0
  StrCpy $DbUrl ""
  ClearErrors
  StrCpy $R1 0
  ${Do}
    StrCpy $R2 $R0 4 $R1
    ${If} $R2 == ""
      SetErrors
      ${Break}
    ${EndIf}
    ${If} $R2 == "/DB="
      ; The character before the option: a quote means the whole option is quoted.
      StrCpy $R3 ""
      ${If} $R1 > 0
        IntOp $R3 $R1 - 1
        StrCpy $R3 $R0 1 $R3
      ${EndIf}
      IntOp $R1 $R1 + 4
      StrCpy $R2 $R0 1 $R1
      ${If} $R3 != '"'
        StrCpy $R3 " "
        ${If} $R2 == '"'
          StrCpy $R3 '"'
          IntOp $R1 $R1 + 1
        ${EndIf}
      ${EndIf}
      ; Now $R3 is the character that ends the value (a quote or a space).
      ${Do}
        StrCpy $R2 $R0 1 $R1
        ${If} $R2 == ""
        ${OrIf} $R2 == $R3
          ${Break}
        ${EndIf}
        StrCpy $DbUrl "$DbUrl$R2"
        IntOp $R1 $R1 + 1
      ${Loop}
      ClearErrors
      ${Break}
    ${EndIf}
    IntOp $R1 $R1 + 1
  ${Loop}
  Pop $R3
  Pop $R2
  Pop $R1
  Pop $R0
FunctionEnd

Section "CQMS Desktop" SecProgram
  SectionIn RO  ; the program itself cannot be left out
  SetShellVarContext all
  ; Silent installs never see the folder page: check the folder (from /D= or the default) here.
  Push $INSTDIR
  Push 126
  Call CharsInRange
  Pop $0
  ${If} $0 != 1
    MessageBox MB_ICONSTOP|MB_OK "$(NonAscii)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ClearErrors
  CreateDirectory "$INSTDIR"
  FileOpen $0 "$INSTDIR\cqms-write-test.tmp" w
  ${If} ${Errors}
    MessageBox MB_ICONSTOP|MB_OK "$(NotWritable)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  FileClose $0
  Delete "$INSTDIR\cqms-write-test.tmp"

  ; Upgrade in place: the previous version's program files go first, so that none of its
  ; modules lingers beside the new ones. Only in a folder this installer made (cqms.cmd in it).
  ; The users' data, their settings and %ProgramData%\CQMS\cqms.ini are elsewhere and stay.
  ${If} ${FileExists} "$INSTDIR\cqms.cmd"
  ${AndIf} ${FileExists} "$INSTDIR\python\python311._pth"
    RMDir /r "$INSTDIR\python"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${STAGE}\python"
  File "${STAGE}\cqms.cmd"
  File "${STAGE}\cqms.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The window: pythonw (no console); the working folder is the install folder.
  CreateShortcut "${SHORTCUT}" "$INSTDIR\python\pythonw.exe" \
    '-X utf8 -c "import sys; from cqms_desktop.app import main; sys.exit(main())"' \
    "$INSTDIR\cqms.ico" 0 SW_SHOWNORMAL "" "${APPNAME}"

  WriteRegStr HKLM "${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APPKEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\cqms.ico"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $1 $2 $3
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $1

  ; The preset database for every user of the PC ($APPDATA is %ProgramData% here).
  ${If} $DbUrl != ""
    ClearErrors
    CreateDirectory "$APPDATA\CQMS"
    FileOpen $0 "$APPDATA\CQMS\cqms.ini" w
    ${IfNot} ${Errors}
      Push "; Written by the CQMS Desktop installer (setup.exe /DB=...). Every user's CQMS Desktop$\r$\n; on this PC uses this database unless the user chose another one.$\r$\n[database]$\r$\nurl=$DbUrl$\r$\n"
      Call WriteUtf8
      FileClose $0
    ${EndIf}
    ${If} ${Errors}
      MessageBox MB_ICONEXCLAMATION|MB_OK "$(IniFailed)" /SD IDOK
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
SectionEnd

; The daily reminders: `cqms remind` as SYSTEM on the preset database (%ProgramData%\CQMS\
; cqms.ini, which SYSTEM reads too). SYSTEM keeps its own credential store: the SMTP password
; for the task is set once as the README says (or CQMS_SMTP_PASSWORD for the machine).
Section "$(RemindSection)" SecRemind
  nsExec::ExecToLog 'schtasks /Create /TN "${REMIND_TASK}" /SC DAILY /ST $RemindAt /RU SYSTEM /F /TR "\"$INSTDIR\cqms.cmd\" remind"'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION|MB_OK "$(TaskFailed)" /SD IDOK
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecRemind} "$(RemindHelp)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  SetShellVarContext all
  nsExec::ExecToLog 'schtasks /Delete /TN "${REMIND_TASK}" /F'
  Pop $0  ; no task (never registered, or removed by hand): nothing to do
  Delete "${SHORTCUT}"
  RMDir /r "$INSTDIR\python"
  Delete "$INSTDIR\cqms.cmd"
  Delete "$INSTDIR\cqms.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: files someone put there stay
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${APPKEY}"
  DeleteRegKey /ifempty HKLM "Software\CQMS"
  ; Kept on purpose: every user's data folder (%APPDATA%\CQMS\CQMS Desktop: the database, the
  ; log, the settings) and the machine-wide %ProgramData%\CQMS\cqms.ini, so that a reinstall
  ; finds everything as it was.
SectionEnd

; After the sections: .onInit unticks the reminders' section (its index is defined there).
; Sets $RemindAt from /REMIND=HH:MM (default 07:30) and leaves the reminders component out
; with /NOREMIND; refuses a time that is not HH:MM.
Function ParseRemindOptions
  Push $R0
  Push $R1
  ${GetParameters} $R0
  StrCpy $RemindAt "07:30"
  ClearErrors
  ${GetOptions} $R0 "/REMIND=" $R1
  ${IfNot} ${Errors}
    StrCpy $RemindAt $R1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOREMIND" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecRemind} 0
  ${EndIf}
  ; HH:MM: five characters, digits around a colon, 00:00 to 23:59.
  StrCpy $R0 1
  StrLen $R1 $RemindAt
  ${If} $R1 != 5
    StrCpy $R0 0
  ${Else}
    StrCpy $R1 $RemindAt 1 2
    ${If} $R1 != ":"
      StrCpy $R0 0
    ${EndIf}
    StrCpy $R1 $RemindAt 2 0
    ${If} $R1 < "00"
    ${OrIf} $R1 > "23"
      StrCpy $R0 0
    ${EndIf}
    StrCpy $R1 $RemindAt 2 3
    ${If} $R1 < "00"
    ${OrIf} $R1 > "59"
      StrCpy $R0 0
    ${EndIf}
  ${EndIf}
  ${If} $R0 != 1
    MessageBox MB_ICONSTOP|MB_OK "$(BadRemind)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  Pop $R1
  Pop $R0
FunctionEnd

Function .onInit
  SetShellVarContext all
  Call ParseRemindOptions
  Call ParseDbOption
  ${If} ${Errors}
    Return  ; no /DB=
  ${EndIf}
  ; A URL of a known kind, on one line (it becomes one line of the INI file).
  StrCpy $R1 0
  ${If} $DbUrl != ""
    StrCpy $R2 $DbUrl 10
    StrCpy $R3 $DbUrl 13
    StrCpy $R4 $DbUrl 11
    StrCpy $R5 $DbUrl 8
    ${If} $R2 == "sqlite:///"
    ${OrIf} $R3 == "postgresql://"
    ${OrIf} $R4 == "postgres://"
    ${OrIf} $R5 == "mysql://"
    ${OrIf} $R2 == "mariadb://"
      StrCpy $R1 1
    ${EndIf}
  ${EndIf}
  ${If} $R1 == 1
    Push $DbUrl
    Push 65535  ; no CR/LF: the URL becomes one line of the INI file; Chinese folders are fine
    Call CharsInRange
    Pop $R1
  ${EndIf}
  ${If} $R1 != 1
    MessageBox MB_ICONSTOP|MB_OK "$(BadDatabase)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
FunctionEnd
