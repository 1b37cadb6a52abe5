<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Enums</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kpis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <extracomment>Rows between two progress reports / cancel checks. The target field&apos;s label (context ``Columns``), printed for ``{field}``.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Costs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdminArea</name>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products / part numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdminForms</name>
    <message>
        <source>Changed by someone else</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <source>Daily backup (shared by every PC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a backup once a day while the program runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. \\server\share\CQMS backups or D:\Backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> newest backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each backup is checked after it is written; only then are the oldest beyond the number kept deleted. To back up when no program is open, register “cqms backup --to-folder FOLDER --rotate N” in the Task Scheduler (see the README). Keep the backup key (“cqms backup-key”) apart from the backups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save backup settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day}: {state} by {who} {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for the backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up and verified: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} older backup(s) deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not delete {name}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <source>made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>being made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchPrint</name>
    <message>
        <source>8D report</source>
        <extracomment>List (register) kind → the forms its records print on, the first being the usual one. Form kinds → names in the UI (the record forms&apos; names come from the print preview).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print</source>
        <extracomment>How many record numbers the dialog lists before &quot;and n more&quot;. How many messages the question before a batch e-mail lists. The last batch sent by e-mail, and the questions and summary shown (kept for tests). Why each record of the planned batch is skipped, in the UI language.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records selected: {numbers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No record is selected: only blank forms can be printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each customer&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview and print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save as one PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send by &amp;e-mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail each record&apos;s form to its customer, in the customer&apos;s language unless one is chosen; the list is shown before anything is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Blank form…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing {n} forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as one PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: skipped — {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} → {customer}: {to} ({lang})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send {n} of {total} forms by e-mail?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending {n} forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent: {sent}. Not sent: {failed}. Skipped: {skipped}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: not sent — {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages not sent are kept with their records; send them again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CalendarDayDialog</name>
    <message>
        <source>Add a calendar day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. annual maintenance shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Load public holidays of this year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>China&apos;s public holidays and make-up working days (调休) of the year; days the company entered itself are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add day…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV or xlsx file with the columns date, kind (closed / working), note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{year}: {closed} closed days, {working} working days on a weekend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{added} added, {changed} changed, {removed} removed; the deadlines of {moved} complaints not yet handled were recomputed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the day to remove first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove {day} from the company calendar?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept as the company entered them: {days}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schedule has no make-up working days for {year} yet: add them when the State Council&apos;s notice is out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import calendar days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar files (*.csv *.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password &amp;again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator has asked you to choose a new password before you go on. Cancel does not log you in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Check</name>
    <message>
        <source>The database cannot be read: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has no CQMS schema: run “cqms init”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema version {found} was made by a newer CQMS Desktop (this program knows up to {latest}): install the newer version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema version {found} is older than {latest}: run “cqms init” to upgrade.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table “{table}” is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integrity check: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table “{table}” row {rowid} refers to a missing row of “{parent}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} rows of “{table}” refer to missing rows of “{parent}” ({field}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” is disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” was replaced by one that does not refuse changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail was tampered with: audit row {row} was changed after it was written (its hash does not match).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail was tampered with: the chain breaks at audit row {row} (a row before it was removed, inserted or changed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail was cut short: it ends at row {last} with {rows} rows, but its chain head records row {head_last} with {head_rows} rows (rows were deleted or the table was truncated).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {table} {id}: field “{field}” is “{current}” but its audit trail says “{trail}” (changed without an audit row).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {table} {id} has no audit trail (added without an audit row).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {table} {id} exists although its audit trail says it was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {table} {id} was deleted without an audit row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and {count} more records or fields that differ from the audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter {name} is at {value} but number {number} is already used: new records would get duplicate numbers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>The database file “{path}” does not exist. Create it with “cqms init” (or check the --db URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: warning: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is empty: create the CQMS schema with “cqms init” first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has schema version {found}; this program needs {latest}. Upgrade it with “cqms init” (a SQLite file is backed up first).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created a new CQMS database (schema version {version}) in {where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database {where} is up to date (schema version {version}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgraded {where} from schema version {old} to {new}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The old file was saved as {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created a new CQMS database in {where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading demonstration data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded demonstration data (seed {seed}, scale {scale}): {records} records, {rows} rows in all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demonstration accounts (password “{password}”):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Existing accounts kept as they were: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No terminal to ask for the password: pass it on standard input with --password-stdin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password (again): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created user {name} ({department}{admin}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password of {name} changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} must choose a new password at the next log-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User {name} is already disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User {name} disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--rotate needs a folder (--to-folder DIR or -o DIR).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the folder for --to-folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up {rows} rows of {tables} tables to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: warning: could not record the backup: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up {rows} rows of {tables} tables to {path} and verified it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted {count} older backup(s), keeping the {keep} newest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: warning: could not delete the old backup {name}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored {rows} rows of {tables} tables into {where} and checked them (backup of {created}, CQMS {version}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {where} ({backend})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema version: {found} (this program: {latest})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PROBLEM: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: {count} problem(s) found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown status “{value}” for {kind}; use one of {allowed}.</source>
        <extracomment>``cqms list``: per kind, (output key, register column key).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--overdue applies to complaints only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no customer with the code “{code}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing forms is not available in this build ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a date (YYYY-MM-DD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row {row}	{column}	{value}	{problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--from {start} is after --to {end}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote {count} rows to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review of {period} was signed off by {user} on {day}: re-printed as signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures that differ today (signed → today):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use --current for a workbook with today&apos;s figures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s figures; the review signed off by {user} on {day} is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{option}: the file name is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{option}: the file name contains a NUL character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (details in {path})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: CQMS_NOW is not a date and time: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: interrupted; nothing more was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: database error: {reason}{details}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: unexpected {kind}: {reason}{details}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential store on this computer: the password is read from CQMS_SMTP_PASSWORD (set it for the scheduled task too).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is kept in this computer&apos;s credential store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: warning: no SMTP password for {user}: give it with --password-stdin or in CQMS_SMTP_PASSWORD{store}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (this computer has no credential store: CQMS_SMTP_PASSWORD only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server {host}:{port} ({security}), user {user}, sender {name} &lt;{sender}&gt;, password: {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escalation after {hours} h to QA, the General Manager{extra}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential store on this computer ({reason}): the SMTP password comes from the environment variable CQMS_SMTP_PASSWORD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent “{subject}” to {to}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cqms: error: not sent: {reason} (kept as not sent; “cqms send --retry” tries again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} gets reminders in {lang}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say what to send: “cqms send form KIND NUMBER” or “cqms send --retry”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: {to}
Subject: {subject}
Language: {lang}

{body}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} has no attachment “{name}”; it has: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{id}	{at}	{status}	{kind}	{to}	{subject}{reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outcome unknown (the program stopped while sending): “{subject}” to {to}, {at} UTC; “cqms send --retry --include-unknown” sends it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to send again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a date and time (ISO 8601).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>would send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT sent: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} to {recipient} &lt;{address}&gt; ({lang}): {count} items, {overdue} overdue — {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day}: {count} messages, {done} lines reminded earlier today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{added} added, {changed} changed, {removed} removed; deadlines of {moved} unhandled complaints recomputed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} days: {closed} closed, {working} working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {day} ({kind}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept as the company entered them ({source}): {days}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: the holiday schedule has no make-up working days for {year} (not yet published?). Add them with “cqms calendar add DATE --kind working” when the State Council&apos;s notice is out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer code</source>
        <extracomment>Field types the importer converts cell values to. Other English headings legacy registers use for this field. Keys of ``exports.vocabulary.TERMS`` whose zh/en/de words also name this field.
----------
The customer&apos;s code and name, as every Data sheet of a customer&apos;s records shows them (the record queries join ``Customer``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity affected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received via</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled on time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue, not handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open at period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open over 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue at period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <extracomment>Changes arriving within this time are drawn once (on top of the bridge&apos;s own merging). The kinds of record whose changes alter a chart (``&quot;*&quot;``: everything, e.g. F5). Characters of a customer&apos;s name shown next to its code on the customers chart. Survey item names, as the review workbook&apos;s columns name them (glossary words).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: compensation</source>
        <extracomment>The cost columns of the complaints register (labels for lupdate, in the form&apos;s order).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: freight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: scrap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: replacement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost: total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComplaintEditor</name>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <extracomment>The data of a combo box&apos;s empty entry: an empty string (never a record id or a code), so that &quot;nothing chosen&quot; survives the round trip through a QVariant unambiguously.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <extracomment>Fields shown as text boxes holding a local date / date and time (may be empty).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint Handling Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send by e-mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8D report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the printed form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1. Registration (5.2.1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Quality Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2. Investigation and analysis (5.2.2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3. Responsibility (5.2.3 c)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company or undetermined: countermeasures are required. Otherwise a written explanation to the customer is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4. Emergency countermeasures and containment (5.2.3 d)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nonconforming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished goods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products not yet shipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5. Long-term countermeasures (5.2.3 e, 5.2.4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description of the countermeasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add countermeasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the department did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record execution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6. Customer communication (5.2.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oral notice to the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy sent to the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the customer does not accept: the customer&apos;s reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for not accepting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7. Approval and closure (4.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To reopen: the reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen because</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8. Cost of poor quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>9. Attachments (drop files here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(given on saving)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(computed on saving)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat complaint of {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeated by {numbers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status} — overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales registers the complaint; it then goes to QA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: read-only. Only the General Manager can reopen it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workflow step for your department in this state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still missing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Costs</name>
    <message>
        <source>Compensation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacement</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CountTile</name>
    <message>
        <source>Click to open the list of these records.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerChooser</name>
    <message>
        <source>Customer…</source>
        <extracomment>Free-text search waits this long after the last key press before querying. How many customers the customer chooser offers for what was typed.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible Sales person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerService</name>
    <message>
        <source>Quality</source>
        <extracomment>Item names as the form and the chart show them (glossary: quality, service, price, delivery).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No returned surveys yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results across quarters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up to quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average of all customers per item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every active customer (the quarter&apos;s campaign)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback for Sales to investigate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New satisfaction survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— (after the survey is returned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not returned by the end of the quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>below the target {target}: {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every active customer already has a survey for this quarter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} surveys were created for {quarter}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The survey is below the satisfaction target: feedback {number} was created for Sales to investigate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <extracomment>Background of an overdue (unacknowledged too long) routing line. The form kind for :func:`cqms_desktop.exports.forms.render_form` (``visit`` …). The audit table name of the record (for the history view). The circulation kind (``visit`` / ``feedback``) whose routing history is shown too.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PDF / Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send by e-mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blank form…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circulation and acknowledgement</source>
        <extracomment>Emitted after the user acknowledged or recorded handling (the record changed).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge for my department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record my department&apos;s handling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue — not acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What did your department do?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type (Sales)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close with this result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality problem: send to QA as a complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer visit {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction survey {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct contact (call, letter, e-mail, fax or visit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New customer feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(numbered when saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer feedback {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint {number} was registered and sent to QA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <extracomment>The fields each kind shows (the others are hidden).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Performed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date agreed with the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New service record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited by (Sales)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s people met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was discussed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer requests and opinions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why a department is left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests forwarded to (circulation and acknowledgement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a feedback from this visit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New customer visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required: why the requests do not go to {departments}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not needed: the requests go to all four departments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DailyBackup</name>
    <message>
        <source>Today&apos;s backup was made: {file}</source>
        <extracomment>How often the program looks whether today&apos;s backup is due. A message for the status bar and whether it reports a failure.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The daily backup failed: {reason} It is tried again within the hour.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Open complaints</source>
        <extracomment>&quot;Due within 2 days&quot; on the dashboard (the urgent handling limit of 5.2.3 a). The counts are re-read this often even without changes (deadlines pass with time). Count tiles per row (seven tiles: two rows leave room for the charts below). An amount the tile shows instead of the count (the count goes into the caption).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints due within 2 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints with overdue corrective actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback awaiting acknowledgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active customers not visited this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost of poor quality this year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surveys not returned this quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What needs attention</source>
        <extracomment>(tab name, Filter, description) — the main window shows that tab with that filter. The last list window opened for a count without a tab of its own. The last review-workbook dialog, job and end message (kept for tests).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Management review workbook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the management review&apos;s key figures for a month, quarter or year to Excel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} complaint(s) with costs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} corrective action(s) are past their due date.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>Other categories</source>
        <extracomment>Months shown by the monthly charts (the review&apos;s trend uses the same number). Quarters shown by the satisfaction chart (two years). Defect categories with a series of their own; the rest are summed as &quot;other&quot;. Customers in the &quot;most complaints&quot; chart. Survey items in the order of the form (glossary: quality, service, price, delivery). Series key of the summed smaller categories (cannot collide: categories are trimmed text).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints per month by defect category</source>
        <extracomment>New figures are shown (also after a synchronous refresh). (tab name, Filter, description): a click asks for the list behind a bar or point. The moment the charts are computed for (tests fix it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints handled on time (within the handling deadline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{urgent} (within {n} days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{normal} (within {n} days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{month} · {series}: {rate} ({on_time} of {judged})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer satisfaction per quarter (average score)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction target {target}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers with most complaints (last {n} months)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints received in {month}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints of the last {n} months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surveys returned for {quarter}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DatabaseErrorDialog</name>
    <message>
        <source>Cannot open the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen by {source}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was changed in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateFilterEdit</name>
    <message>
        <source>Choose the date on a calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: type a date (2026-07-01, 2026/7/1 or 20260701) or choose one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{text}” is not a date. Type e.g. 2026-07-01, 2026/7/1 or 20260701.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DefectCategoryDialog</name>
    <message>
        <source>New defect category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect category {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (offered when registering complaints)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chinese label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>German label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DepartmentDialog</name>
    <message>
        <source>Department {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Editors</name>
    <message>
        <source>Creating this kind of record is not available yet.</source>
        <extracomment>Fields never shown in the read-only viewer.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} {number} (read only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database not reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be reached, so nothing was saved.

{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was lost while saving, and the program could not confirm that the change was saved. Open the record again to see what it holds.

{error}</source>
        <extracomment>The result of a save whose answer was lost but which went through (see ``save``). Emitted after each successful save or action with the record&apos;s id. The record kind, naming its drafts (``complaint``, ``visit``, ``feedback``…). How long after the last keystroke the draft is written (milliseconds). The record shown (``None``: a new one, not saved yet). The version the user opened: updates pass it on (optimistic locking). The tracked inputs, by name (the names key the drafts). This editor wrote (or restored) the draft of its record: it removes it when done. Shown when another PC changed the record (see :meth:`on_remote_changes`).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your input is kept on this PC. It is offered back when you open this record again; or try Save again once the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the unsaved changes from {time} to {record}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save your changes to {record} before closing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloading shows the other change and discards what you typed here. Discard your changes and reload?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <extracomment>An editor&apos;s record kind → the audit trail&apos;s table of its record.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who} changed this record on another PC at {time}. Reload to see the change; saving now would be refused.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Enums</name>
    <message>
        <source>Sales Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality Assurance Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technical Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manufacturing Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administration Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Countermeasures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed (holiday)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working day (make-up / extra)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public holiday schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undetermined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Management-method improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mould or equipment improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspection-method improvement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting supplier reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified effective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technical question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In circulation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technical consultation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorHandling</name>
    <message>
        <source>An unexpected error occurred: {error}

The details were written to the log file {log}. Please send it to your IT contact.</source>
        <extracomment>The colour of an error message under a form (login, first run, database settings).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>A closed complaint is read-only; only the General Manager can reopen it.</source>
        <extracomment>What QA finds out during the investigation completes or corrects the registration data (a complaint handed over from a feedback often arrives without product, lot or quantities): QA may change these registration fields from its first step (the investigation) until closure; while the complaint is registered they are Sales&apos; alone. Every change is audited with its old value. States in which long-term countermeasures may be added, changed and carried out.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be changed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {departments} may change {field}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be changed while the complaint is “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a date, not “{value}”.</source>
        <extracomment>A PC&apos;s clock may run a little ahead of the server&apos;s; a &quot;future&quot; time within this is fine.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a date and time, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is required.</source>
        <extracomment>The years the public schedule is loaded for (the State Council publishes one a year). What an import file may write in its &quot;kind&quot; column for each kind (lower case). Column headings an import file may use (lower case). Days of the public schedule left as the company entered them. Unhandled complaints whose deadline moved. Make-up working days the public schedule has for the year (0: none published yet).
----------
Who keeps which kind of record (5.1.4: Technical Section advises and writes instructions, Sales supplies spare parts and exchanges; 5.1.5 on-site service by whoever is sent).
----------
Who records and edits visits (4.1: Sales is the window to the customer).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be more than {other}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: at least one long-term countermeasure is required when the company is responsible or responsibility is undetermined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{action}” has not been verified by QA yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is from before the customer&apos;s last refusal: record the new notice of this round.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be before {other}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the QA engineer in charge of the complaint prepares its handling form and cannot also review it by verifying an action; ask another QA user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the owner of an action cannot verify it; ask another QA user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: whoever recorded the execution cannot verify it; ask another QA user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the action must be carried out before it can be verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown step: {step}</source>
        <extracomment>States that count as &quot;open&quot; for dashboards and overdue lists. Who is shown the overdue complaints when the program opens: QA handles complaints (4.2), the General Manager supervises the handling (4.5).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{step}” is not possible while the complaint is “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {departments} may take the step “{step}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a known time zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a whole number, not “{value}”.</source>
        <extracomment>The four items of 5.1.3, in the order of the form. The record field holding each item&apos;s score. Label of the overall score where it is named among the below-target items. Quarters outside these years are typing mistakes, not survey campaigns.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be between {min} and {max}, not {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown survey item “{item}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a quarter; write it like 2026-Q4 (Q1 to Q4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the year {year} is out of range ({min}–{max}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be text, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is too long (at most {max} characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be yes or no, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must give a weight for each item.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is not one of the allowed values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: at least one weight must be above zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} ({high}) must be above where the scale starts ({low}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} ({value}) must lie on the survey scale ({low}–{high}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} may contain only letters, digits, “.”, “-” and “_” (at most 32).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be 2–64 letters, digits or “._@-”, without spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must have at least {min} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} contains a character that cannot be stored ({code}); remove it.</source>
        <extracomment>Amounts are ``DECIMAL(12, 2)``: at most ten digits before the point (SQLite keeps them as floats, exact to 15 significant digits, so the twelve allowed are never rounded). Dates and times outside these years are typing mistakes (and year 1 or 9999 overflows as soon as it is moved across a time zone or a deadline is added).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is too large (at most {max}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is too small (at least {min}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be an amount, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be between the years {first} and {last}.</source>
        <extracomment>Date (and date-time) formats accepted when a date is written as text.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a number, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The font for printed forms ({path}) is missing or damaged: {reason}. Reinstall the program.</source>
        <extracomment>The name the font is registered under with ReportLab. The shipped font file, relative to ``resources/``.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forms can be printed in {languages}, not “{value}”.</source>
        <extracomment>(enum class, stored code) → (中文, English, Deutsch).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first administrator has already been created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name “{name}” is taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least one active administrator must remain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account has no password to change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no user “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: no such user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} “{value}” is already in use as “{existing}” (keys differing only in capitals or accents count as the same).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} “{value}” is already in use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown setting “{key}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account “{user}” is disabled. Ask an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked for another {minutes} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only an administrator may do this.</source>
        <extracomment>An administrator asked for a new password: nothing else until it is chosen.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {departments} may do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account has been disabled or removed: nothing was saved. Ask an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator has changed your department or rights since you signed in: nothing was saved. Sign out and sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator has asked you to choose a new password: nothing else is possible until you have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {department} has already acknowledged; it cannot be removed.</source>
        <extracomment>5.1.1: a visit&apos;s requests go to these four departments (the rule is the domain&apos;s). 5.1.2: Sales may forward a feedback to any other department.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a date and time.</source>
        <extracomment>Sales completes, routes and closes feedback (4.1).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the record does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} belongs to another customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown field “{key}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The feedback has been handed to QA as a complaint; it is read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The feedback is closed; it is read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a closed feedback is reopened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The feedback was closed with complaint {number}; only the General Manager&apos;s reopening of the complaint reopens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: only a quality problem is sent to QA as a complaint; this feedback is typed “{type}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be a user of {department}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: no such record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be the customer of the feedback.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The feedback {number} is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The feedback {number} has already become complaint {complaint}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long-term countermeasures cannot be changed while the complaint is “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A countermeasure that has been carried out cannot be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A countermeasure that has been carried out cannot be removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This countermeasure has already been verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is not a file that can be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is {size} MB; at most {max} MB are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is {size} MB; this database server takes files of at most {max} MB (its max_allowed_packet setting). Attach a smaller file, or ask IT to raise max_allowed_packet on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is neither closed nor working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {value} is already in the calendar; remove it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day} is not in the company calendar.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {value} is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the first row must name the columns date, kind and (optionally) note.</source>
        <extracomment>The note of a make-up working day, stored as data in the language of the schedule&apos;s names.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is not a .csv or .xlsx file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” cannot be read ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record no longer exists (it may have been deleted).</source>
        <extracomment>The change-event kind of the list. Who manages the list (administrators always may).
----------
The change-event kind. Who raises, answers, verifies and closes SCARs.
----------
The change-event kind of the list. Who keeps the list besides the administrators.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” cannot be written ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no feedback “{number}”.</source>
        <extracomment>The error :func:`feedback_by_number` gives for a number no feedback has.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: no such product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must be at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no service record “{number}”.</source>
        <extracomment>The error :func:`service_record_by_number` gives for a number no service record has.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” already has a survey for {quarter}.</source>
        <extracomment>Sales sends the surveys and records the answers (5.1.3). The feedback type that matches each survey item (the lowest item decides).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no survey “{number}”.</source>
        <extracomment>The error :func:`survey_by_number` gives for a number no survey has.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a date (YYYY-MM-DD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: no such customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is not an active customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no visit “{number}”.</source>
        <extracomment>The error :func:`visit_by_number` gives for a number no visit has.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing, so nothing can be saved. An administrator should run “cqms check”.</source>
        <extracomment>``(table, field)`` whose values are secrets: the trail says that they changed, never what to. What the trail holds for a secret: this text and a fingerprint of the stored value. An audit row before it is chained: at, username, table, record id, action, field, old, new.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who} changed this record at {when} after you opened it. Your changes were not saved: reopen the record to see the new version, then make your changes again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SQLite URL “{url}” is malformed: write sqlite:///relative/path or sqlite:////absolute/path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown database type “{scheme}”. Use sqlite:///file.sqlite3, postgresql://user@host:port/database or mysql://user@host:port/database.</source>
        <extracomment>The name used before it was public (other modules may still call it so).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is a folder, not a database file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database file “{path}”: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is not a SQLite database. Choose the CQMS database file or a new file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file “{path}” or its folder is read-only. Ask IT for write access or copy the file to a folder you may write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is a Windows network path. On this system, mount the share and use the file&apos;s path in the mounted folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network folder of the database file “{path}” cannot be reached. Check the network connection and that the share exists and you may use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder “{path}”: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create a database in the read-only folder “{path}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file is on a network share. That works for one PC writing at a time; when several PCs enter records at the same time, move the data to a PostgreSQL or MariaDB server (cqms backup / cqms restore).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database URL “{url}” is malformed: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database URL “{url}” names no database (…/database at the end).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server {display} refused the user name or password. Check them in the database URL (Settings → Database).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database named in {display} does not exist on the server. Ask IT to create it, then start CQMS again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the database server {display}. Check the network and that the server is running. ({reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database URL is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the SQLite database “{path}”: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is busy with other users&apos; changes: nothing was saved. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database was made by a newer version of CQMS Desktop (schema {found}; this program knows up to {latest}). It was not changed. Install the newer version on this PC.</source>
        <extracomment>The schema version this program writes. The step that put the audit trail on a hash chain (older databases get a baseline after it). The step that made the registers&apos; text search index (tests run it on its own). version → the step that upgrades a database from ``version - 1`` to ``version``. Steps use explicit DDL (playhouse.migrate), never the current models, which move on.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is not empty and is not a CQMS database (it has tables such as “{table}”). Use an empty database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No upgrade step to schema version {version}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database {database} could not be prepared for use: {reason}. If another program has it open, close that program and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no complaint numbered “{number}”.</source>
        <extracomment>The defect category&apos;s labels by language (zh/en/de) from the managed list.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no form “{value}”; choose one of {kinds}.</source>
        <extracomment>Form kind → the module that gathers and lays out its record. Reports in a customer&apos;s format made from a record&apos;s data, rendered like the forms: the 8D report of a complaint (given the complaint&apos;s number). Kept apart from the record forms. The language of a blank form when none is asked for: the company&apos;s own.
----------
Form kind → the table its number is looked up in (the 8D report is a complaint&apos;s). Who may send a record&apos;s form to the customer: the departments that talk to customers.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forms are saved as {formats}, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the number of the record to print.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form could not be saved as {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export file “{path}” must end in .xlsx.</source>
        <extracomment>Rows fetched per query; progress and cancellation are checked between chunks. Pixels per character of Excel&apos;s default font, to turn list widths into Excel widths.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “{path}” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list has no column “{column}” to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <extracomment>True when the kept workbook was written (the period was signed off before). True when this export signed the review off.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scale must be a whole number from 1 to {max}.</source>
        <extracomment>Recent complaints placed so that every state (and an overdue one) is always on show: (days ago, state), one each for the first customers of every 25. Marker written into the audit trail (field name) when demonstration data is loaded. One customer&apos;s built records by kind (&quot;visits&quot;, &quot;surveys&quot;, &quot;feedback&quot;, ...).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The seed must be a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demonstration data has already been loaded into this database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database already holds records ({table}). Demonstration data is only loaded into a new database: use a new file or an empty database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the demonstration data was cancelled; nothing saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no feedback numbered “{number}”.</source>
        <extracomment>For a feedback generated from a below-target survey: why (printed in the form language).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no service record numbered “{number}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no satisfaction survey numbered “{number}”.</source>
        <extracomment>The most score boxes one row of the questionnaire can hold.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no visit numbered “{number}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing: run “cqms check”.</source>
        <extracomment>The environment variable a restore takes the backup key from (hex, as ``cqms backup-key``). Tables a freshly initialised database already fills (replaced by the backup&apos;s rows).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database has schema version {found}, this program writes {latest}. Run “cqms init” to create or upgrade it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is a folder: give the backup a file name in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the backup “{path}”: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing: run “cqms check”. No backup was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is damaged or not a CQMS backup ({reason}). Nothing was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup file “{path}” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup “{path}” has format version {found}; this program reads version {known}. Use the CQMS version that made it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup “{path}” has a table “{table}” this program does not know in that form. Restore it with the CQMS version that made it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit trail in the backup “{path}” was altered after it was written ({detail}). Nothing was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup “{path}” is signed with backup key {key_id}, which this database does not hold. Give that key (“cqms backup-key” on the database that made the backup shows it) with --key-file or the CQMS_BACKUP_KEY variable. If the key is lost with the old database, restore with --without-key: the file&apos;s checksums and audit chain are still checked, but not who made it, and the restore is recorded in the audit trail. Nothing was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The target database is not empty (table “{table}” has rows). Restore only into a new or freshly initialised database; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup has schema version {found}, this program {latest}. Restore it with the CQMS version that made it, upgrade with “cqms init”, and back it up again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After restoring, table “{table}” holds {rows} rows that do not match the backup ({expected} rows). The restore was rolled back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A period is required: write 2026-11 (a month), 2026Q4 (a quarter) or 2026 (a year).</source>
        <extracomment>Years a review period may name; anything else is a typing mistake. Months shown in the trend.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a period: write 2026-11 (a month), 2026Q4 (a quarter) or 2026 (a year).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The year {year} is out of range ({min}–{max}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The month {month} of “{value}” does not exist (01 to 12).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quarter Q{quarter} of “{value}” does not exist (Q1 to Q4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no customer with the code “{code}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The print preview needs QtPdf (PySide6-Pdf).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form could not be read for the preview ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one record to print.</source>
        <extracomment>The most records one batch prints (a guard against selecting a whole 100,000-row list).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most {max} records can be printed at once; {count} are selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printing was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{failed} of {rows} rows have problems; nothing was imported. Correct the file, or import the valid rows only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file “{path}” does not exist.</source>
        <extracomment>Merged ranges below the heading row (&quot;A5:A7&quot;). (row, column) → formula text of formula cells that have no saved result.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file “{path}” is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is an old Excel 97–2003 (.xls) file. Open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and import that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” is not an Excel workbook (.xlsx); it may be a text or CSV file with another name. Save it from Excel as .xlsx and import that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” cannot be read as an Excel workbook (.xlsx): {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” has no worksheet to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” has no rows to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{path}” has headings in row {row} but no data rows below them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The headings of “{path}” are in merged cells ({cells}). Unmerge them and give every column one heading in a single row, then import again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The heading “{heading}” appears twice in “{path}” (columns {first} and {second}); rename one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a date; write it like 2026-11-23, 2026/11/23 or 23.11.2026.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not one of: {choices}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no customer with the code “{value}”; add the customer or import the customer list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no customer named “{value}”; add the customer or import the customer list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several customers are named “{value}”; give the customer code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no product with the part number “{value}”; import the products first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no single user “{value}”; give the user name or full name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An import of {kind} has no field “{value}”.</source>
        <extracomment>How far in the future a receipt time may lie (PC clocks, time zones). Import kind → (model, the change-event kind, the record-number prefix or &quot;&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file has no column headed “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No column is chosen for “{value}”, which every row needs. Choose the column in the mapping (headings found: {headings}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged cells {cells}: every row needs its own values; unmerge the cells.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cell holds a formula without a saved result. Open the file in Excel or LibreOffice, save it, and import again (or type the value).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} “{value}” must look like {prefix}-2026-0042.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no defect category “{value}” (by code or label); add it to the defect-category list under Administration first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A closed complaint needs the date it was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The complaint has a closing date but its status is not closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” appears again in this file (first in row {first}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records with the same numbers were added meanwhile (rows {first}–{last}); nothing was imported. Check the file again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import “{value}”; choose one of {kinds}.</source>
        <extracomment>Who may import what (administrators always): the departments that create such records.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file “{path}” could not be written ({reason}). If it is open in another program, close it there and export again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no customer “{value}”: choose one from the suggestions or leave the box empty for all customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings file for this PC “{path}” cannot be read ({error}). Ask your IT to correct it, or choose the database with --db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database preset for this PC in “{path}” is not usable: {error} Ask your IT to correct it, or choose the database with --db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: this is one of the most common passwords and is guessed first. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} must not contain the user name or the person&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the key file {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{value}” is not an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the SMTP server&apos;s host name or address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SMTP port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection security must be one of {modes}, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} is too long or has a line break (at most {max} characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server time-out must be 1 to 600 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalate after: give a whole number of hours (0 or more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages can be written in {languages}, not “{value}”.</source>
        <extracomment>Languages a message can be written in (the forms&apos; languages). Message kinds with editable templates. The placeholders each kind offers (shown on the administration page). What a &quot;My work&quot; line is called in a digest, per language. Section headings of a digest: (overdue, due soon, other), per language. &quot;due&quot; before a day in a digest line, per language.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message texts are not in the expected form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no message kind “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A subject must be one line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no user “{username}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no record numbered “{number}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The customer {customer} has no e-mail address; add one to the customer or give the recipients.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment {id} does not belong to {number}; choose again.</source>
        <extracomment>A message larger than this (the form and the chosen attachments) is refused: many mail servers take no more than 20–25 MB, and base64 makes attachments a third larger.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form and the chosen attachments come to {size} MB; a message may carry at most {max} MB. Choose fewer attachments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer has no credential store for the SMTP password ({reason}). Set the environment variable CQMS_SMTP_PASSWORD for the program and for the scheduled reminder task instead; the password is never stored in the database.</source>
        <extracomment>The environment variable read where no credential store exists (and before the store).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host} does not offer STARTTLS; choose SSL or plain in the mail settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SMTP password for {user}: set it in Administration → Mail (or “cqms mail set”), or set CQMS_SMTP_PASSWORD where there is no credential store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host} does not accept a log-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SMTP password or user name has non-English characters, which the mail server {host} cannot take (it does not offer AUTH PLAIN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail is not set up: give the SMTP server and the sender address in Administration → Mail (or “cqms mail set”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message has no recipient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server refused the user name or password ({reply}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server refused the recipient(s), nothing was sent: {refused}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server refused the sender {sender} ({reply}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host} does not support this: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host}:{port} did not answer within {seconds} s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host}:{port} closed the connection before the message was accepted ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server refused the message ({reply}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host}:{port} refused the connection (is the host and port right, is the server running?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mail server {host} was not found ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secure connection to the mail server {host}:{port}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the mail server {host}:{port} failed: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{value}” is not in the defect-category list; choose one of the list (Administration maintains it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} “{value}” already names the defect category “{other}” (capitals and accents do not count).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: complaints use the code “{code}”; change its labels instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints use the defect category “{code}”; deactivate it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep between 1 and {most} backups.</source>
        <extracomment>The most backups a folder keeps (a number beyond it is surely a typing slip). A run claimed this long ago and never finished (its PC crashed or was switched off) is taken over by the next PC that checks.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder the daily backups go to.</source>
        <extracomment>Old backups that could not be deleted (name, reason); the new backup is fine.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network folder “{path}” cannot be reached: is the server on and the share (or mapped drive) connected for this user?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup folder “{path}” does not exist or cannot be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup written to “{path}” did not verify ({reason}); it was removed and no older backup was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review figure “{code}” is not a number.</source>
        <extracomment>A figure of the Summary sheet: a count, a rate or average, or nothing (no data).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review of {period} can be signed off once the period has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no workbook to sign off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review of {period} was already signed off by {user} on {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kept workbook of the {period} review has been altered since it was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The change did not complete because the database connection changed.</source>
        <extracomment>A call whose answer never came back (the database was switched while it waited).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” contains hidden characters that disguise the file&apos;s type; rename the file before attaching it.</source>
        <extracomment>Invisible characters that reorder or hide what a file name shows (bidi controls).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: “{name}” is a program or shortcut (.{ext}) that would run when opened; such files cannot be attached. Send it as a ZIP archive or a PDF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the database server was lost ({reason}). Nothing of this change was saved; the program connects again on the next try.</source>
        <extracomment>The timeouts new connections get (tests shorten them before opening a database). The PostgreSQL channel every write transaction notifies (live refresh on other PCs).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the database server was lost ({reason}). The program connects again on the next try.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the database server was lost while the change was being saved; it may or may not have been saved ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attachment “{name}” was removed from the record after the message was prepared; prepare the message again.</source>
        <extracomment>A form message not sent and then sent anew (from the preview, edited): not retried. How long a row may stay ``sending`` before it counts as &quot;outcome unknown&quot; (a crash), not as a send still under way on another PC: longer than any SMTP time-out. 5.2.5 &quot;how the copy was sent&quot;, as the complaint form records it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: the requests go to QA, the Technical Section, Manufacturing and Administration (5.1.1); say why they do not go to {departments}.</source>
        <extracomment>5.1.1: a visit&apos;s requests go to these four departments. Longest reason for leaving departments out.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SCAR is raised only when the complaint&apos;s responsibility is “Supplier” (5.2.3 c); set the responsibility first.</source>
        <extracomment>The request&apos;s own fields QA fills in and may correct while the supplier has not replied. States in which the request still waits on someone (lists&apos; &quot;open only&quot;, My work).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The complaint is closed: no SCAR can be raised from it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} cannot be before the day the SCAR was raised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request cannot be changed once the supplier replied (it is “{status}”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supplier reply is recorded only while one is awaited (the SCAR is “{status}”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a recorded supplier reply can be verified (the SCAR is “{status}”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A SCAR is closed only after its reply was verified effective (it is “{status}”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: whoever recorded the supplier&apos;s reply cannot verify it; ask another QA user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no SCAR numbered “{number}”.</source>
        <extracomment>The form&apos;s language: the supplier&apos;s (``forms`` reads the attribute by this name).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: choose an active supplier of the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrective action requests name the supplier “{code}”; deactivate it instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <extracomment>QSettings key of the folder the last export went to (offered again next time). How long the status bar shows the result of an export.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the list to Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} row(s) exported to {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the management review workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Management review workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the figures and writing {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The management review workbook for {period} was written to {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The management review for {period} was signed off and written to {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s figures for {period} were written to {name}; the review {user} signed off on {day} is kept unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The management review for {period}, signed off by {user} on {day}, was re-printed as signed to {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} figures differ today (signed → today):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Lot / batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received via</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigation and analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site investigation by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site investigation date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written explanation to the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preliminary improvement plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan fed back to Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site dispatch: who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site dispatch: date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-site dispatch: what was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished goods checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished goods held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished goods nonconforming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in progress checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in progress held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work in progress nonconforming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nonconforming-product report (QP1301)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oral notice: when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oral notice: by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oral notice: to whom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy sent: when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy sent: how</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy sent: to whom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted by the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for reopening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long-term countermeasures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type of countermeasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Quality Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat complaint of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsible Sales person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity affected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date agreed with the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Performed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s people met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was discussed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why a department is left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Containment asked of the supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search (Ctrl+F)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole list again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text: “{text}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer: {customer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity: {severity}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Special filter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterChip</name>
    <message>
        <source>Remove this filter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Demonstration data loaded: {records} records in the registers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demonstration users (one per department): {names}.

Password for all of them: {password}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demonstration data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading demonstration data: customers, users and records…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the demonstration data was cancelled; nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>CQMS Desktop — First start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This database is new. Enter your company&apos;s name and create the first administrator account. The administrator then adds the other users, the customers and the products.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator&apos;s &amp;user name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password &amp;again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load demonstration data (customers, users and records in every tab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended for trying the program out; leave it unticked for the database your company will really use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GeneratedText</name>
    <message>
        <source>Survey {number} ({quarter}) is below the satisfaction target {target}: {low}.</source>
        <extracomment>The program&apos;s two sentences (translated in context ``GeneratedText``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall {overall}; {scores}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quality</source>
        <extracomment>Item names in the program (context ``GeneratedText``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overall score</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandOver</name>
    <message>
        <source>Send {number} to QA as a complaint</source>
        <extracomment>Emitted with the complaint once it is registered.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register complaint and send to QA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Complaint</source>
        <extracomment>Table names as users know them (context ``History``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long-term countermeasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recorded as found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <extracomment>(table, field) → the enumeration its codes come from; ``(None, field)`` for any table.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>{rows} rows: {failed} with problems, {new} new, {existing} already in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{imported} imported.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import from Excel</source>
        <extracomment>The validation report shows at most this many problems (the summary counts them all).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an Excel workbook (.xlsx)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns: which column of the file fills which field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file, check it, then import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the &amp;valid rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled when the check found no problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the rows without problems; the rows listed above are left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* needed: every row must have it (a customer by code or by name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first {n} problems are listed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>Cancel</source>
        <extracomment>Jobs shorter than this never show the progress dialog.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Kpis</name>
    <message>
        <source>(not categorised)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not yet determined)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no product)</source>
        <extracomment>Shown for complaints without a product.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>CQMS Desktop — Log in</source>
        <extracomment>QSettings key: the user name that last logged in on this PC.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Service and Complaint Handling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other &amp;database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have to choose a new password to log in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MailPage</name>
    <message>
        <source>Mail server (shared by every PC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password (this PC only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time-out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminders and escalation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminders in (unless a user chose)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> hours after the deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalate complaints not handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QA&apos;s department address and the General Manager always; more here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also tell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>send the test message to this address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send test message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save mail settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC has no credential store ({reason}): set CQMS_SMTP_PASSWORD for the program and the reminder task instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password was not stored: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholders: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message text saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending the test message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test message was sent to {to}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test message was not sent: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MailSettings</name>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSL/TLS (port 465)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No encryption (office relay only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form to the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password is kept in this PC&apos;s credential store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password comes from the CQMS_SMTP_PASSWORD environment variable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No password is stored on this PC.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My work</source>
        <extracomment>Tab names, in order, as :meth:`MainWindow.select_tab` and ``--tab`` know them. The user chose File → Sign out: the program shows the log-in again instead of ending. Set by :meth:`sign_out`: the program returns to the log-in when the window closes. Save geometry and column layouts on close (off for ``--screenshot`` renders).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List</source>
        <extracomment>Inner tabs beside a list: name → (outer tab, inner tab widget, the page). The page is an empty stand-in until first shown (see :meth:`_build_side_page`).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit plan</source>
        <extracomment>Changes reach the window while it is shown; a closed window hears of none.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier corrective actions (SCAR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out / switch user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database server cannot be reached. What you type is kept; the program connects again on the next try.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database server is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User: {name} ({department})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(on a network share)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue complaints: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My work: {total} waiting, {overdue} overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints overdue: {overdue} · due soon: {due_soon}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings dialog is not available in this version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;CQMS Desktop {version}&lt;/b&gt;&lt;br&gt;Customer service and complaint handling according to the Customer Service and Complaint Handling Control Procedure.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MyWork</name>
    <message>
        <source>Complaint to handle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Countermeasure to carry out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Countermeasure to verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback to forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request to acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey to chase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAR: supplier reply overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAR to verify or close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <extracomment>The change events after which the list may differ. A work item&apos;s record kind → the list (and editor) of that kind.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <extracomment>(all, overdue) after each refresh.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing waits for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} waiting for you or your department, {overdue} overdue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the customer: {reason} — {summary}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Must choose a new password at the next log-in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Customer Complaint Handling Form</source>
        <extracomment>Rasterising a page at the printer&apos;s full resolution (1200 dpi) would take ~500 MB per A4 page; 300 dpi is print quality for text and lines at a fraction of that. The languages offered, each named in its own language (a clerk picks the customer&apos;s). Form kinds → their names in the UI (translated in context ``PrintPreview``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Visit Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8D Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print preview — {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form was saved as {name}.</source>
        <extracomment>The last &quot;form saved&quot; message (not modal: kept alive here; tests look at it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview and print the form in the customer&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the form as PDF or Excel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <source>New product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegisterModel</name>
    <message>
        <source>Yes</source>
        <extracomment>Rows fetched per page; a screenful is ~40, so one page covers several screens. The record id of a row (``int``). The whole row as a ``dict`` (column key → raw value). Background of an overdue complaint (lists and the complaint editor&apos;s action table). Background of a complaint whose deadline is close.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This column cannot be sorted.</source>
        <extracomment>A (re)load is in: the count and the first rows are those of the current filter/sort.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue: not handled within the handling deadline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon: the handling deadline is close.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegisterView</name>
    <message>
        <source>New</source>
        <extracomment>A record was opened (its id) or ``None`` for a new one; after the opener ran.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new record (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected record (Enter or double-click)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the list as shown (filter, sort, columns) as xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print or save the selected records&apos; forms (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No records match the filters — &lt;a href=&quot;clear&quot;&gt;Clear all&lt;/a&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Registers</name>
    <message>
        <source>Complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction surveys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Departments</source>
        <extracomment>The departments as a register, so they list like everything else (six rows).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier corrective actions (SCAR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>Complaints</source>
        <extracomment>Row of the Summary sheet where the KPI table&apos;s header is (rows above: title, scope, note).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrective actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction surveys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data surveys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Management review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto defects</source>
        <extracomment>Customers shown in the per-customer chart.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost of poor quality ({currency})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average score: quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average score: service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average score: price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average score: delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received, urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received, normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled on time (within the 2/7-day limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer-months due (active customers × months ended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue, not yet handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time rate: on time ÷ (on time + late + overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed in period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean days to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median days to close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open at period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open over 30 days at period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue at period end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer-months visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surveys of the period&apos;s quarters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average overall score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers below target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost of poor quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost Pareto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total ({currency})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints with costs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per defect category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All complaints received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No costs were recorded in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judged at (overdue items)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No complaints were received in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No month of this period has begun yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handled on time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue, not handled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Months visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surveys returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Below target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers with most complaints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complaints per month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-time handling and visit compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No records.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewExportDialog</name>
    <message>
        <source>Management review workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2026-11, 2026Q4 or 2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A month (2026-11), a quarter (2026Q4) or a year (2026).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All customers (or type a code or name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign off this review as General Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workbook is kept exactly as signed: later exports of this period re-print it and list the figures that differ today. Only a period that has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note, e.g. the meeting (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From {start} to {end}</source>
        <extracomment>The customer code chosen when the dialog was accepted (``None``: all customers). Whether the user asked to sign the review off, and the note to keep with it.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <source>Registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigation and analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency countermeasures and containment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer communication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost of poor quality</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SendMailDialog</name>
    <message>
        <source>Send by e-mail — {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>addresses, separated by ;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also attach:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to {to}. The message is kept with the record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: {reason}
It is kept as “not sent”; send it again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Customer Visit Form</source>
        <extracomment>Controlled forms: key → (default form code, default revision). The controlled forms&apos; names (glossary), by the key used in :data:`FORMS`.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Complaint Handling Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8D report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent complaints handled within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <extracomment>WEIGHTS: part key → label (context &quot;Settings&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal complaints handled within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“Due soon” when due within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circulation to be acknowledged within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrective actions due after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat complaint: same problem within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit each customer at least every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey scale from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey scale to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <extracomment>The due time of every complaint not yet handled (handled ones keep theirs).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Controlled forms: form code and revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadlines and rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction survey (5.1.3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technical Service Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Visit Form: revision</source>
        <extracomment>The label of each form&apos;s revision (literal strings, so lupdate sees them).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer Complaint Handling Form: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8D report: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technical Service Record: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request: revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The document number printed in the header of every copy of this form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The revision printed next to the form code, e.g. A/0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company name</source>
        <extracomment>Every shared setting, in the order the Settings page shows them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on every form and report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company name in English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on English forms. Empty: the company name above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company name in German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on German forms. Empty: the English company name, else the company name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone (e.g. Asia/Shanghai)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The company&apos;s time zone: the day a complaint is received and is due is counted in it. Empty: each PC&apos;s own time zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Currency of recorded costs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The currency complaint costs are recorded in (e.g. CNY, EUR), shown with the cost of poor quality in the review and on the dashboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure 5.2.3 a: urgent complaints, two days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure 5.2.3 b: normal complaints, seven days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count deadlines in working days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count the handling deadlines in working days of the company calendar (weekends and holidays skipped, make-up working days counted) instead of calendar days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A complaint not yet handled is marked due soon this long before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A department that has not acknowledged a routed record by then is late.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback forwarded within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure 5.1.2: Sales forwards a registered feedback immediately; one not forwarded by then is flagged as overdue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The due date proposed for a new corrective action.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier replies to a SCAR within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure 5.2.3 c: the reply due date a new Supplier Corrective Action Request asks of the supplier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A complaint about the same product and problem within this time is a repeat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedure 5.1.1: the visit plan&apos;s interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger files are refused when attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lowest score a customer can give.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The highest score a customer can give (above the lowest).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A survey whose overall score or any item lies below it needs feedback; it must lie on the scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weight of each item in the overall score; at least one must be above zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed: {min} to {max}{unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: each PC&apos;s own time zone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The folder can be written to. The file does not exist yet: a new, empty database will be created there at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection OK: {database}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It holds CQMS data of a newer program version (schema {found}; this program knows up to {latest}): install the newer version first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It holds CQMS data of an older version (schema {found}); it will be upgraded to schema {latest} at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It holds CQMS data (schema version {found}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is not a CQMS database (it has other tables, such as “{table}”). Use an empty database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is empty: CQMS will create its tables at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite &amp;file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for a server; kept in this PC&apos;s credential store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One URL names the database:
• sqlite:////folder/cqms.sqlite3 — a file on this PC or a network share (one PC writing at a time);
• postgresql://user:password@server:5432/cqms — a PostgreSQL server;
• mysql://user:password@server:3306/cqms — a MariaDB or MySQL server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: the CQMS_DB environment variable is set on this PC ({url}); it is used instead of this setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the program:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes take effect when CQMS Desktop is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database preset for this PC cannot be used: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset for this PC (by your IT, in {path}): {url}. It is used instead of this setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a database URL or choose a SQLite file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to {database}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose or name the database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Save settings</source>
        <extracomment>The editor of each setting, by key, in the registry&apos;s order. The form of each group (a setting&apos;s error shows under its row).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved ({n} changed).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CQMS Desktop is already running on this PC with the database
{database}

Switch to the open window (see the task bar). To work on another database, choose it with --db or in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>the --db option</source>
        <extracomment>QSettings key: SQLite files on a network share the user was already warned about.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CQMS_DB environment variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database preset for this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the settings of this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your choice in the database dialog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database on a network share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database file is on a network share.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusChooser</name>
    <message>
        <source>Status: any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: {n} chosen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupplierDialog</name>
    <message>
        <source>New supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplier {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (offered when raising a SCAR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active (may log in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Must choose a new password at the next log-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a new password…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitPlan</name>
    <message>
        <source>Visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Covered by an earlier visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress: not yet visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet a customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month in progress: {visited} of {due} customers visited so far. It counts in the compliance rates once it has ended.</source>
        <extracomment>Cell colours by state; this month&apos;s &quot;not yet&quot; is drawn stronger than the rest.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>How many of this month&apos;s customers still to visit the line above the plan names.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compliance rate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitPlanView</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month, not yet visited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {count} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet visited this month ({count}): {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every active customer has been visited this month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not assigned)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkTray</name>
    <message>
        <source>CQMS: {total} waiting for you, {overdue} overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} new in My work: {number} {customer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <source>Start investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feed preliminary plan back to Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Countermeasures verified: notify Sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer did not accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
