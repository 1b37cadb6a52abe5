<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>New</source>
        <translation type="obsolete">新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="obsolete">保存</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="obsolete">打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="obsolete">关闭</translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation type="obsolete">表单语言：</translation>
    </message>
    <message>
        <source>Customer Quality Feedback</source>
        <translation type="obsolete">顾客质量反馈</translation>
    </message>
    <message>
        <source>Handling deadline</source>
        <translation type="obsolete">处理期限</translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="obsolete">类型</translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="obsolete">描述</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="obsolete">负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="obsolete">处理期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="obsolete">状态</translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation type="obsolete">已实施</translation>
    </message>
    <message>
        <source>Verification result</source>
        <translation type="obsolete">验证结果</translation>
    </message>
    <message>
        <source>When</source>
        <translation type="obsolete">时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="obsolete">原因</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="obsolete">记录人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="obsolete">批准人</translation>
    </message>
    <message>
        <source>Reason for reopening</source>
        <translation type="obsolete">重新打开的原因</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation type="obsolete">状态：{status}</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="obsolete">接受</translation>
    </message>
    <message>
        <source>History</source>
        <translation type="obsolete">历史</translation>
    </message>
    <message>
        <source>Save the form</source>
        <translation type="obsolete">保存表单</translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="obsolete">部门</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation type="obsolete">处理</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="obsolete">急件</translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="obsolete">编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="obsolete">顾客</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="obsolete">来源</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="obsolete">来电/来信人</translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="obsolete">结果</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation type="obsolete">季度</translation>
    </message>
    <message>
        <source>Date sent</source>
        <translation type="obsolete">发出日期</translation>
    </message>
    <message>
        <source>Date returned</source>
        <translation type="obsolete">收回日期</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation type="obsolete">填表人</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation type="obsolete">总分</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation type="obsolete">访问日期</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="obsolete">目的</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="obsolete">PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="obsolete">Excel 工作簿 (*.xlsx)</translation>
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
        <source>The management review workbook for {period} was written to {name}.</source>
        <translation type="obsolete">{period} 的管理评审工作簿已写入 {name}。</translation>
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
        <translation>用户</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Products / part numbers</source>
        <translation>产品 / 零件号</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Defect categories</source>
        <translation>缺陷类别</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Business settings</source>
        <translation>业务设置</translation>
    </message>
    <message>
        <source>Mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Company calendar</source>
        <translation>公司日历</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
</context>
<context>
    <name>AdminForms</name>
    <message>
        <source>Changed by someone else</source>
        <translation>已被他人修改</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <source>Daily backup (shared by every PC)</source>
        <translation>每日备份（所有电脑共用）</translation>
    </message>
    <message>
        <source>Make a backup once a day while the program runs</source>
        <translation>程序运行时每天备份一次</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>定时备份</translation>
    </message>
    <message>
        <source>e.g. \\server\share\CQMS backups or D:\Backups</source>
        <translation>例如 \\server\share\CQMS backups 或 D:\Backups</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source> newest backups</source>
        <translation> 个最新备份</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation>上次备份</translation>
    </message>
    <message>
        <source>Each backup is checked after it is written; only then are the oldest beyond the number kept deleted. To back up when no program is open, register “cqms backup --to-folder FOLDER --rotate N” in the Task Scheduler (see the README). Keep the backup key (“cqms backup-key”) apart from the backups.</source>
        <translation>每个备份写入后都会经过校验，校验通过后才删除超出保留数量的最旧备份。如需在没有打开程序时也进行备份，请在任务计划程序中登记“cqms backup --to-folder FOLDER --rotate N”（见 README）。请将备份密钥（“cqms backup-key”）与备份分开保管。</translation>
    </message>
    <message>
        <source>Save backup settings</source>
        <translation>保存备份设置</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>{day}: {state} by {who} {file}</source>
        <translation>{day}：由 {who} {state} {file}</translation>
    </message>
    <message>
        <source>Folder for the backups</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Backup settings saved.</source>
        <translation>备份设置已保存。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>正在备份</translation>
    </message>
    <message>
        <source>Backed up and verified: {path}</source>
        <translation>已备份并校验：{path}</translation>
    </message>
    <message>
        <source>{count} older backup(s) deleted.</source>
        <translation>已删除 {count} 个较旧的备份。</translation>
    </message>
    <message>
        <source>Could not delete {name}: {reason}</source>
        <translation>无法删除 {name}：{reason}</translation>
    </message>
</context>
<context>
    <name>BackupSettings</name>
    <message>
        <source>made</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>being made</source>
        <translation>正在进行</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>BatchPrint</name>
    <message>
        <source>8D report</source>
        <extracomment>List (register) kind → the forms its records print on, the first being the usual one. Form kinds → names in the UI (the record forms&apos; names come from the print preview).</extracomment>
        <translation>8D 报告</translation>
    </message>
    <message>
        <source>Print</source>
        <extracomment>How many record numbers the dialog lists before &quot;and n more&quot;. How many messages the question before a batch e-mail lists. The last batch sent by e-mail, and the questions and summary shown (kept for tests). Why each record of the planned batch is skipped, in the UI language.</extracomment>
        <translation>打印</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>以及其他 {n} 条</translation>
    </message>
    <message>
        <source>{n} records selected: {numbers}</source>
        <translation>已选择 {n} 条记录：{numbers}</translation>
    </message>
    <message>
        <source>No record is selected: only blank forms can be printed.</source>
        <translation>未选择记录：只能打印空白表单。</translation>
    </message>
    <message>
        <source>Form:</source>
        <translation>表单：</translation>
    </message>
    <message>
        <source>Each customer&apos;s language</source>
        <translation>各顾客的语言</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>&amp;Preview and print…</source>
        <translation>预览并打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as one PDF…</source>
        <translation>保存为一个 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Send by &amp;e-mail…</source>
        <translation>通过电子邮件发送(&amp;E)…</translation>
    </message>
    <message>
        <source>E-mail each record&apos;s form to its customer, in the customer&apos;s language unless one is chosen; the list is shown before anything is sent.</source>
        <translation>将每条记录的表单通过电子邮件发送给其顾客，除非另选语言，否则使用顾客的语言；发送前会先列出清单。</translation>
    </message>
    <message>
        <source>&amp;Blank form…</source>
        <translation>空白表单(&amp;B)…</translation>
    </message>
    <message>
        <source>Preparing {n} forms</source>
        <translation>正在准备 {n} 份表单</translation>
    </message>
    <message>
        <source>Save as one PDF</source>
        <translation>保存为一个 PDF</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>{number}: skipped — {reason}</source>
        <translation>{number}：已跳过 — {reason}</translation>
    </message>
    <message>
        <source>{number} → {customer}: {to} ({lang})</source>
        <translation>{number} → {customer}：{to}（{lang}）</translation>
    </message>
    <message>
        <source>Send {n} of {total} forms by e-mail?</source>
        <translation>通过电子邮件发送 {total} 份表单中的 {n} 份吗？</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Sending {n} forms</source>
        <translation>正在发送 {n} 份表单</translation>
    </message>
    <message>
        <source>Sent: {sent}. Not sent: {failed}. Skipped: {skipped}.</source>
        <translation>已发送：{sent}。未发送：{failed}。已跳过：{skipped}。</translation>
    </message>
    <message>
        <source>{number}: not sent — {reason}</source>
        <translation>{number}：未发送 — {reason}</translation>
    </message>
    <message>
        <source>Messages not sent are kept with their records; send them again later.</source>
        <translation>未发送的邮件已随记录保存，请稍后重新发送。</translation>
    </message>
</context>
<context>
    <name>CalendarDayDialog</name>
    <message>
        <source>Add a calendar day</source>
        <translation>添加日历日期</translation>
    </message>
    <message>
        <source>e.g. annual maintenance shutdown</source>
        <translation>例如：年度设备检修停工</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind of day</source>
        <translation>日期类型</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Load public holidays of this year</source>
        <translation>载入本年度法定节假日</translation>
    </message>
    <message>
        <source>China&apos;s public holidays and make-up working days (调休) of the year; days the company entered itself are kept.</source>
        <translation>载入本年度中国法定节假日及调休上班日；公司自行录入的日期保持不变。</translation>
    </message>
    <message>
        <source>Add day…</source>
        <translation>添加日期…</translation>
    </message>
    <message>
        <source>Remove day</source>
        <translation>删除日期</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>A CSV or xlsx file with the columns date, kind (closed / working), note.</source>
        <translation>CSV 或 xlsx 文件，列为：日期、类型（closed 休息 / working 上班）、备注。</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>{year}: {closed} closed days, {working} working days on a weekend.</source>
        <translation>{year} 年：{closed} 个休息日，{working} 个周末上班日。</translation>
    </message>
    <message>
        <source>{added} added, {changed} changed, {removed} removed; the deadlines of {moved} complaints not yet handled were recomputed.</source>
        <translation>新增 {added} 天，修改 {changed} 天，删除 {removed} 天；已重新计算 {moved} 个尚未处理的顾客抱怨的处理期限。</translation>
    </message>
    <message>
        <source>Select the day to remove first.</source>
        <translation>请先选择要删除的日期。</translation>
    </message>
    <message>
        <source>Remove {day} from the company calendar?</source>
        <translation>从公司日历中删除 {day}？</translation>
    </message>
    <message>
        <source>Kept as the company entered them: {days}.</source>
        <translation>以下日期保留公司录入的设置：{days}。</translation>
    </message>
    <message>
        <source>The schedule has no make-up working days for {year} yet: add them when the State Council&apos;s notice is out.</source>
        <translation>节假日安排中尚无 {year} 年的调休上班日：国务院通知发布后请手工添加。</translation>
    </message>
    <message>
        <source>Import calendar days</source>
        <translation>导入日历日期</translation>
    </message>
    <message>
        <source>Calendar files (*.csv *.xlsx)</source>
        <translation>日历文件 (*.csv *.xlsx)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>New password &amp;again:</source>
        <translation>再次输入新密码(&amp;A)：</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>User: {name}</source>
        <translation>用户：{name}</translation>
    </message>
    <message>
        <source>An administrator has asked you to choose a new password before you go on. Cancel does not log you in.</source>
        <translation>管理员要求您先设置新密码，然后才能继续。点击“取消”将不会登录。</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>Check</name>
    <message>
        <source>The database cannot be read: {reason}</source>
        <translation>无法读取数据库：{reason}</translation>
    </message>
    <message>
        <source>The database has no CQMS schema: run “cqms init”.</source>
        <translation>数据库中没有 CQMS 结构：请运行“cqms init”。</translation>
    </message>
    <message>
        <source>Schema version {found} was made by a newer CQMS Desktop (this program knows up to {latest}): install the newer version.</source>
        <translation>结构版本 {found} 由更新版本的 CQMS Desktop 创建（本程序最高支持 {latest}）：请安装新版本。</translation>
    </message>
    <message>
        <source>Schema version {found} is older than {latest}: run “cqms init” to upgrade.</source>
        <translation>结构版本 {found} 低于 {latest}：请运行“cqms init”升级。</translation>
    </message>
    <message>
        <source>Table “{table}” is missing.</source>
        <translation>缺少表“{table}”。</translation>
    </message>
    <message>
        <source>Integrity check: {detail}</source>
        <translation>完整性检查：{detail}</translation>
    </message>
    <message>
        <source>Table “{table}” row {rowid} refers to a missing row of “{parent}”.</source>
        <translation>表“{table}”第 {rowid} 行引用了“{parent}”中不存在的行。</translation>
    </message>
    <message>
        <source>{count} rows of “{table}” refer to missing rows of “{parent}” ({field}).</source>
        <translation>表“{table}”中有 {count} 行引用了“{parent}”中不存在的行（{field}）。</translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” is missing.</source>
        <translation>审计记录未受防篡改保护：其触发器“{trigger}”缺失。</translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” is disabled.</source>
        <translation>审计记录未受防篡改保护：其触发器“{trigger}”已被停用。</translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes: its trigger “{trigger}” was replaced by one that does not refuse changes.</source>
        <translation>审计记录未受防篡改保护：其触发器“{trigger}”已被替换为不拒绝修改的触发器。</translation>
    </message>
    <message>
        <source>The audit trail was tampered with: audit row {row} was changed after it was written (its hash does not match).</source>
        <translation>审计记录已被篡改：第 {row} 条审计记录在写入后被修改（其哈希值不符）。</translation>
    </message>
    <message>
        <source>The audit trail was tampered with: the chain breaks at audit row {row} (a row before it was removed, inserted or changed).</source>
        <translation>审计记录已被篡改：哈希链在第 {row} 条审计记录处断开（其前面的记录被删除、插入或修改）。</translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing.</source>
        <translation>审计记录的链头缺失。</translation>
    </message>
    <message>
        <source>The audit trail was cut short: it ends at row {last} with {rows} rows, but its chain head records row {head_last} with {head_rows} rows (rows were deleted or the table was truncated).</source>
        <translation>审计记录被截短：它止于第 {last} 条，共 {rows} 条；但链头记载的是第 {head_last} 条，共 {head_rows} 条（有记录被删除或整表被清空）。</translation>
    </message>
    <message>
        <source>Record {table} {id}: field “{field}” is “{current}” but its audit trail says “{trail}” (changed without an audit row).</source>
        <translation>记录 {table} {id}：字段“{field}”为“{current}”，但其审计记录为“{trail}”（修改时未留审计记录）。</translation>
    </message>
    <message>
        <source>Record {table} {id} has no audit trail (added without an audit row).</source>
        <translation>记录 {table} {id} 没有审计记录（新增时未留审计记录）。</translation>
    </message>
    <message>
        <source>Record {table} {id} exists although its audit trail says it was deleted.</source>
        <translation>记录 {table} {id} 仍然存在，但其审计记录显示已删除。</translation>
    </message>
    <message>
        <source>Record {table} {id} was deleted without an audit row.</source>
        <translation>记录 {table} {id} 被删除时未留审计记录。</translation>
    </message>
    <message>
        <source>… and {count} more records or fields that differ from the audit trail.</source>
        <translation>……另有 {count} 处记录或字段与审计记录不符。</translation>
    </message>
    <message>
        <source>The audit trail is not protected against changes (its triggers are missing).</source>
        <translation type="vanished">审计记录未受保护（缺少触发器）。</translation>
    </message>
    <message>
        <source>Counter {name} is at {value} but number {number} is already used: new records would get duplicate numbers.</source>
        <translation>计数器 {name} 为 {value}，但编号 {number} 已被使用：新记录将得到重复的编号。</translation>
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
        <translation>{name} 下次登录时必须设置新密码。</translation>
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
        <translation type="unfinished">正在备份</translation>
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
        <translation type="unfinished">没有代码为“{code}”的顾客。</translation>
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
        <translation type="unfinished">正在导入</translation>
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
        <translation type="unfinished">邮件设置已保存。</translation>
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
        <translation type="unfinished">已发出</translation>
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
        <translation>编号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <source>Customer code</source>
        <extracomment>Field types the importer converts cell values to. Other English headings legacy registers use for this field. Keys of ``exports.vocabulary.TERMS`` whose zh/en/de words also name this field.
----------
The customer&apos;s code and name, as every Data sheet of a customer&apos;s records shows them (the record queries join ``Customer``).</extracomment>
        <translation>顾客代码</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>零件号</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>急件/普通件</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation>缺陷类别</translation>
    </message>
    <message>
        <source>Customer&apos;s request</source>
        <translation>顾客要求</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Quantity affected</source>
        <translation>涉及数量</translation>
    </message>
    <message>
        <source>Quantity delivered</source>
        <translation>交货数量</translation>
    </message>
    <message>
        <source>Received via</source>
        <translation>接收方式</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation>责任归属</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>处理期限</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>处理完成</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Days to close</source>
        <translation>结案天数</translation>
    </message>
    <message>
        <source>Repeat of</source>
        <translation>重复抱怨自</translation>
    </message>
    <message>
        <source>Received in period</source>
        <translation>期内接收</translation>
    </message>
    <message>
        <source>Handled on time</source>
        <translation>按期处理</translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation>逾期处理</translation>
    </message>
    <message>
        <source>Overdue, not handled</source>
        <translation>逾期未处理</translation>
    </message>
    <message>
        <source>Closed in period</source>
        <translation>期内结案</translation>
    </message>
    <message>
        <source>Open at period end</source>
        <translation>期末未结</translation>
    </message>
    <message>
        <source>Open over 30 days</source>
        <translation>超过 30 天未结</translation>
    </message>
    <message>
        <source>Repeat complaint</source>
        <translation>重复抱怨</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Action type</source>
        <translation>对策类型</translation>
    </message>
    <message>
        <source>Customer active</source>
        <translation>顾客有效</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>QA owner</source>
        <translation>质保负责人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>急件</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电/来信人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation>已实施</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>Opened in period</source>
        <translation>期内开始</translation>
    </message>
    <message>
        <source>Carried out in period</source>
        <translation>期内实施</translation>
    </message>
    <message>
        <source>Verified in period</source>
        <translation>期内验证</translation>
    </message>
    <message>
        <source>Overdue at period end</source>
        <translation>期末逾期</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>访问日期</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>访问人</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>Visited in period</source>
        <translation>期内访问</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>收回</translation>
    </message>
    <message>
        <source>Quality</source>
        <extracomment>Changes arriving within this time are drawn once (on top of the bridge&apos;s own merging). The kinds of record whose changes alter a chart (``&quot;*&quot;``: everything, e.g. F5). Characters of a customer&apos;s name shown next to its code on the customers chart. Survey item names, as the review workbook&apos;s columns name them (glossary words).</extracomment>
        <translation>质量</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>供货状况</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Cost: compensation</source>
        <extracomment>The cost columns of the complaints register (labels for lupdate, in the form&apos;s order).</extracomment>
        <translation>成本：赔偿</translation>
    </message>
    <message>
        <source>Cost: freight</source>
        <translation>成本：运费</translation>
    </message>
    <message>
        <source>Cost: scrap</source>
        <translation>成本：报废</translation>
    </message>
    <message>
        <source>Cost: rework</source>
        <translation>成本：返工</translation>
    </message>
    <message>
        <source>Cost: replacement</source>
        <translation>成本：换货</translation>
    </message>
    <message>
        <source>Cost: total</source>
        <translation>成本：合计</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德文</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Form language</source>
        <translation>表单语言</translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation>业务员</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Supplier code</source>
        <translation>供应商代码</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>零件</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>发出日期</translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>Reply overdue</source>
        <translation>回复逾期</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>ComplaintEditor</name>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <extracomment>The data of a combo box&apos;s empty entry: an empty string (never a record id or a code), so that &quot;nothing chosen&quot; survives the round trip through a QVariant unambiguously.</extracomment>
        <translation>YYYY-MM-DD HH:MM</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Overdue</source>
        <extracomment>Fields shown as text boxes holding a local date / date and time (may be empty).</extracomment>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation>逾期处理</translation>
    </message>
    <message>
        <source>Handled in time</source>
        <translation>按期处理</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>未逾期</translation>
    </message>
    <message>
        <source>Complaint Handling Form</source>
        <translation>顾客抱怨处理单</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save as Excel…</source>
        <translation>另存为 Excel…</translation>
    </message>
    <message>
        <source>Send by e-mail…</source>
        <translation>通过电子邮件发送…</translation>
    </message>
    <message>
        <source>8D report</source>
        <translation>8D 报告</translation>
    </message>
    <message>
        <source>Language of the printed form</source>
        <translation>打印表单的语言</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation>表单语言：</translation>
    </message>
    <message>
        <source>1. Registration (5.2.1)</source>
        <translation>1. 登记（5.2.1）</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Customer Quality Feedback</source>
        <translation>顾客质量反馈</translation>
    </message>
    <message>
        <source>Handling deadline</source>
        <translation>处理期限</translation>
    </message>
    <message>
        <source>2. Investigation and analysis (5.2.2)</source>
        <translation>2. 调查分析（5.2.2）</translation>
    </message>
    <message>
        <source>3. Responsibility (5.2.3 c)</source>
        <translation>3. 责任归属（5.2.3 c）</translation>
    </message>
    <message>
        <source>Company or undetermined: countermeasures are required. Otherwise a written explanation to the customer is required.</source>
        <translation>本公司或无法确认：需要制定对策。其他情况：需要给顾客书面说明。</translation>
    </message>
    <message>
        <source>4. Emergency countermeasures and containment (5.2.3 d)</source>
        <translation>4. 紧急对策与隔离（5.2.3 d）</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>检查数</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>隔离数</translation>
    </message>
    <message>
        <source>Nonconforming</source>
        <translation>不合格数</translation>
    </message>
    <message>
        <source>Finished goods</source>
        <translation>成品</translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation>在制品</translation>
    </message>
    <message>
        <source>Products not yet shipped</source>
        <translation>尚未发货的产品</translation>
    </message>
    <message>
        <source>5. Long-term countermeasures (5.2.3 e, 5.2.4)</source>
        <translation>5. 长久对策（5.2.3 e、5.2.4）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation>已实施</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Description of the countermeasure</source>
        <translation>对策描述</translation>
    </message>
    <message>
        <source>Add countermeasure</source>
        <translation>添加对策</translation>
    </message>
    <message>
        <source>What the department did</source>
        <translation>部门的实施内容</translation>
    </message>
    <message>
        <source>Record execution</source>
        <translation>记录实施</translation>
    </message>
    <message>
        <source>Verification result</source>
        <translation>验证结果</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>6. Customer communication (5.2.5)</source>
        <translation>6. 与顾客沟通（5.2.5）</translation>
    </message>
    <message>
        <source>Oral notice to the customer</source>
        <translation>口头告知顾客</translation>
    </message>
    <message>
        <source>Copy sent to the customer</source>
        <translation>复印件送顾客</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Customer&apos;s answers</source>
        <translation>顾客答复</translation>
    </message>
    <message>
        <source>If the customer does not accept: the customer&apos;s reason</source>
        <translation>顾客不接受时：顾客的理由</translation>
    </message>
    <message>
        <source>Reason for not accepting</source>
        <translation>不接受的理由</translation>
    </message>
    <message>
        <source>7. Approval and closure (4.5)</source>
        <translation>7. 批准与结案（4.5）</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>To reopen: the reason</source>
        <translation>重新打开：原因</translation>
    </message>
    <message>
        <source>Reopen because</source>
        <translation>重新打开的原因</translation>
    </message>
    <message>
        <source>8. Cost of poor quality</source>
        <translation>8. 质量成本</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>9. Attachments (drop files here)</source>
        <translation>9. 附件（可将文件拖放到此处）</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>新建顾客抱怨</translation>
    </message>
    <message>
        <source>(given on saving)</source>
        <translation>（保存时编号）</translation>
    </message>
    <message>
        <source>(computed on saving)</source>
        <translation>（保存时计算）</translation>
    </message>
    <message>
        <source>Complaint {number}</source>
        <translation>顾客抱怨 {number}</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>状态：{status}</translation>
    </message>
    <message>
        <source>Repeat complaint of {number}</source>
        <translation>{number} 的重复抱怨</translation>
    </message>
    <message>
        <source>Repeated by {numbers}</source>
        <translation>重复抱怨：{numbers}</translation>
    </message>
    <message>
        <source>{status} — overdue</source>
        <translation>{status} — 逾期</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不接受</translation>
    </message>
    <message>
        <source>Sales registers the complaint; it then goes to QA.</source>
        <translation>由业务部登记顾客抱怨，然后转交质保部。</translation>
    </message>
    <message>
        <source>Closed: read-only. Only the General Manager can reopen it.</source>
        <translation>已结案：只读。只有总经理可以重新打开。</translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation>下一步：</translation>
    </message>
    <message>
        <source>No workflow step for your department in this state.</source>
        <translation>在此状态下您的部门没有可执行的步骤。</translation>
    </message>
    <message>
        <source>Still missing:</source>
        <translation>尚缺：</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>保存附件</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="vanished">PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation type="vanished">Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Save the form</source>
        <translation type="vanished">保存表单</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="vanished">未保存的更改</translation>
    </message>
    <message>
        <source>Save your changes to the complaint before closing?</source>
        <translation type="vanished">关闭前是否保存对顾客抱怨的更改？</translation>
    </message>
</context>
<context>
    <name>Costs</name>
    <message>
        <source>Compensation</source>
        <translation>赔偿</translation>
    </message>
    <message>
        <source>Freight</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Replacement</source>
        <translation>换货</translation>
    </message>
</context>
<context>
    <name>CountTile</name>
    <message>
        <source>Click to open the list of these records.</source>
        <translation>单击打开这些记录的列表。</translation>
    </message>
</context>
<context>
    <name>CustomerChooser</name>
    <message>
        <source>Customer…</source>
        <extracomment>Free-text search waits this long after the last key press before querying. How many customers the customer chooser offers for what was typed.</extracomment>
        <translation>顾客…</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation>新建顾客</translation>
    </message>
    <message>
        <source>Customer {code}</source>
        <translation>顾客 {code}</translation>
    </message>
    <message>
        <source>Active customer</source>
        <translation>有效顾客</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Form language</source>
        <translation>表单语言</translation>
    </message>
    <message>
        <source>Responsible Sales person</source>
        <translation>负责业务员</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(nobody)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>CustomerService</name>
    <message>
        <source>Quality</source>
        <extracomment>Item names as the form and the chart show them (glossary: quality, service, price, delivery).</extracomment>
        <translation>质量</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>供货状况</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>总体</translation>
    </message>
    <message>
        <source>No returned surveys yet.</source>
        <translation>尚无收回的满意度调查。</translation>
    </message>
    <message>
        <source>Results across quarters</source>
        <translation>各季度结果</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>收回</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Up to quarter</source>
        <translation>截至季度</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Average of all customers per item</source>
        <translation>各项目的全部顾客平均分</translation>
    </message>
    <message>
        <source>Every active customer (the quarter&apos;s campaign)</source>
        <translation>所有有效顾客（本季度调查）</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发出</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已收回</translation>
    </message>
    <message>
        <source>Open the feedback</source>
        <translation>打开质量反馈</translation>
    </message>
    <message>
        <source>Date sent</source>
        <translation>发出日期</translation>
    </message>
    <message>
        <source>Date returned</source>
        <translation>收回日期</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>填表人</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Feedback for Sales to investigate</source>
        <translation>交业务部调查的反馈</translation>
    </message>
    <message>
        <source>New satisfaction survey</source>
        <translation>新建满意度调查</translation>
    </message>
    <message>
        <source>— (after the survey is returned)</source>
        <translation>—（调查收回后）</translation>
    </message>
    <message>
        <source>not returned by the end of the quarter</source>
        <translation>季度末仍未收回</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>below the target {target}: {items}</source>
        <translation>低于目标 {target}：{items}</translation>
    </message>
    <message>
        <source>Every active customer already has a survey for this quarter.</source>
        <translation>所有有效顾客本季度均已有满意度调查。</translation>
    </message>
    <message>
        <source>{count} surveys were created for {quarter}.</source>
        <translation>已为 {quarter} 创建 {count} 份满意度调查。</translation>
    </message>
    <message>
        <source>The survey is below the satisfaction target: feedback {number} was created for Sales to investigate.</source>
        <translation>该调查低于满意度目标：已创建质量反馈 {number} 交业务部调查。</translation>
    </message>
    <message>
        <source>Print…</source>
        <extracomment>Background of an overdue (unacknowledged too long) routing line. The form kind for :func:`cqms_desktop.exports.forms.render_form` (``visit`` …). The audit table name of the record (for the history view). The circulation kind (``visit`` / ``feedback``) whose routing history is shown too.</extracomment>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF / Excel…</source>
        <translation>另存为 PDF / Excel…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Send by e-mail…</source>
        <translation>通过电子邮件发送…</translation>
    </message>
    <message>
        <source>Blank form…</source>
        <translation>空白表单…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Circulation and acknowledgement</source>
        <extracomment>Emitted after the user acknowledged or recorded handling (the record changed).</extracomment>
        <translation>传阅与签收</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>签收人</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Acknowledge for my department</source>
        <translation>代表本部门签收</translation>
    </message>
    <message>
        <source>Record my department&apos;s handling…</source>
        <translation>记录本部门的处理…</translation>
    </message>
    <message>
        <source>Overdue — not acknowledged</source>
        <translation>逾期 — 未签收</translation>
    </message>
    <message>
        <source>What did your department do?</source>
        <translation>贵部门做了哪些处理？</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>急件</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源方式</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电/来信人</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>顾客所述</translation>
    </message>
    <message>
        <source>Type (Sales)</source>
        <translation>类型（业务部）</translation>
    </message>
    <message>
        <source>Close with this result</source>
        <translation>以此结果结案</translation>
    </message>
    <message>
        <source>Quality problem: send to QA as a complaint</source>
        <translation>质量问题：作为顾客抱怨转交质保部</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Customer visit {number}</source>
        <translation>顾客访问 {number}</translation>
    </message>
    <message>
        <source>Satisfaction survey {number}</source>
        <translation>满意度调查 {number}</translation>
    </message>
    <message>
        <source>Direct contact (call, letter, e-mail, fax or visit)</source>
        <translation>直接联系（来电、来信、电子邮件、传真或来访）</translation>
    </message>
    <message>
        <source>New customer feedback</source>
        <translation>新建顾客质量反馈</translation>
    </message>
    <message>
        <source>(numbered when saved)</source>
        <translation>（保存时编号）</translation>
    </message>
    <message>
        <source>Customer feedback {number}</source>
        <translation>顾客质量反馈 {number}</translation>
    </message>
    <message>
        <source>Complaint {number} was registered and sent to QA.</source>
        <translation>顾客抱怨 {number} 已登记并转交质保部。</translation>
    </message>
    <message>
        <source>(none)</source>
        <extracomment>The fields each kind shows (the others are hidden).</extracomment>
        <translation>（无）</translation>
    </message>
    <message>
        <source>agreed</source>
        <translation>已约定</translation>
    </message>
    <message>
        <source>Kind of service</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Performed by</source>
        <translation>执行人</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Language of the instructions</source>
        <translation>说明的语言</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Date agreed with the customer</source>
        <translation>与顾客约定的日期</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>零件号</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Delivery note</source>
        <translation>送货单</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细内容</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New service record</source>
        <translation>新建服务记录</translation>
    </message>
    <message>
        <source>{kind} {number}</source>
        <translation>{kind} {number}</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>访问日期</translation>
    </message>
    <message>
        <source>Visited by (Sales)</source>
        <translation>访问人（业务部）</translation>
    </message>
    <message>
        <source>Customer&apos;s people met</source>
        <translation>会见的顾客人员</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>What was discussed</source>
        <translation>洽谈内容</translation>
    </message>
    <message>
        <source>Customer requests and opinions</source>
        <translation>顾客要求与意见</translation>
    </message>
    <message>
        <source>Follow-up items</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <source>Why a department is left out</source>
        <translation>未分发部门的原因</translation>
    </message>
    <message>
        <source>Requests forwarded to (circulation and acknowledgement)</source>
        <translation>要求转交（传阅与签收）</translation>
    </message>
    <message>
        <source>Register a feedback from this visit…</source>
        <translation>根据此次访问登记质量反馈…</translation>
    </message>
    <message>
        <source>New customer visit</source>
        <translation>新建顾客访问</translation>
    </message>
    <message>
        <source>Required: why the requests do not go to {departments}</source>
        <translation>必填：说明要求为何不分发给{departments}</translation>
    </message>
    <message>
        <source>Not needed: the requests go to all four departments</source>
        <translation>无需填写：要求已分发给全部四个部门</translation>
    </message>
</context>
<context>
    <name>DailyBackup</name>
    <message>
        <source>Today&apos;s backup was made: {file}</source>
        <extracomment>How often the program looks whether today&apos;s backup is due. A message for the status bar and whether it reports a failure.</extracomment>
        <translation>今天的备份已完成：{file}</translation>
    </message>
    <message>
        <source>The daily backup failed: {reason} It is tried again within the hour.</source>
        <translation>每日备份失败：{reason} 将在一小时内重试。</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Open complaints</source>
        <extracomment>&quot;Due within 2 days&quot; on the dashboard (the urgent handling limit of 5.2.3 a). The counts are re-read this often even without changes (deadlines pass with time). Count tiles per row (seven tiles: two rows leave room for the charts below). An amount the tile shows instead of the count (the count goes into the caption).</extracomment>
        <translation>未结顾客抱怨</translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation>逾期顾客抱怨</translation>
    </message>
    <message>
        <source>Complaints due within 2 days</source>
        <translation>2 天内到期的顾客抱怨</translation>
    </message>
    <message>
        <source>Complaints with overdue corrective actions</source>
        <translation>对策逾期的顾客抱怨</translation>
    </message>
    <message>
        <source>Feedback awaiting acknowledgement</source>
        <translation>待签收的质量反馈</translation>
    </message>
    <message>
        <source>Active customers not visited this month</source>
        <translation>本月未访问的有效顾客</translation>
    </message>
    <message>
        <source>Cost of poor quality this year</source>
        <translation>本年度质量成本</translation>
    </message>
    <message>
        <source>Surveys not returned this quarter</source>
        <translation>本季度未收回的满意度调查</translation>
    </message>
    <message>
        <source>What needs attention</source>
        <extracomment>(tab name, Filter, description) — the main window shows that tab with that filter. The last list window opened for a count without a tab of its own. The last review-workbook dialog, job and end message (kept for tests).</extracomment>
        <translation>需要关注的事项</translation>
    </message>
    <message>
        <source>Management review workbook…</source>
        <translation>管理评审工作簿…</translation>
    </message>
    <message>
        <source>Write the management review&apos;s key figures for a month, quarter or year to Excel.</source>
        <translation>将某月、季度或年度的管理评审关键数据写入 Excel。</translation>
    </message>
    <message>
        <source>{n} complaint(s) with costs</source>
        <translation>{n} 项抱怨记有成本</translation>
    </message>
    <message>
        <source>{n} corrective action(s) are past their due date.</source>
        <translation>{n} 项纠正措施已过截止日期。</translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>Other categories</source>
        <extracomment>Months shown by the monthly charts (the review&apos;s trend uses the same number). Quarters shown by the satisfaction chart (two years). Defect categories with a series of their own; the rest are summed as &quot;other&quot;. Customers in the &quot;most complaints&quot; chart. Survey items in the order of the form (glossary: quality, service, price, delivery). Series key of the summed smaller categories (cannot collide: categories are trimmed text).</extracomment>
        <translation>其他类别</translation>
    </message>
    <message>
        <source>Complaints per month by defect category</source>
        <extracomment>New figures are shown (also after a synchronous refresh). (tab name, Filter, description): a click asks for the list behind a bar or point. The moment the charts are computed for (tests fix it).</extracomment>
        <translation>按缺陷类别的每月顾客抱怨</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Complaints handled on time (within the handling deadline)</source>
        <translation>按期处理的顾客抱怨（在处理期限内）</translation>
    </message>
    <message>
        <source>All complaints</source>
        <translation>全部顾客抱怨</translation>
    </message>
    <message>
        <source>{urgent} (within {n} days)</source>
        <translation>{urgent}（{n} 天内）</translation>
    </message>
    <message>
        <source>{normal} (within {n} days)</source>
        <translation>{normal}（{n} 天内）</translation>
    </message>
    <message>
        <source>{month} · {series}: {rate} ({on_time} of {judged})</source>
        <translation>{month} · {series}：{rate}（{judged} 件中 {on_time} 件）</translation>
    </message>
    <message>
        <source>Customer satisfaction per quarter (average score)</source>
        <translation>每季度顾客满意度（平均分）</translation>
    </message>
    <message>
        <source>Satisfaction target {target}</source>
        <translation>满意度目标 {target}</translation>
    </message>
    <message>
        <source>Customers with most complaints (last {n} months)</source>
        <translation>抱怨最多的顾客（最近 {n} 个月）</translation>
    </message>
    <message>
        <source>Complaints received in {month}</source>
        <translation>{month} 收到的顾客抱怨</translation>
    </message>
    <message>
        <source>Complaints of the last {n} months</source>
        <translation>最近 {n} 个月的顾客抱怨</translation>
    </message>
    <message>
        <source>Surveys returned for {quarter}</source>
        <translation>{quarter} 收回的满意度调查</translation>
    </message>
</context>
<context>
    <name>DatabaseErrorDialog</name>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>Database: {url}</source>
        <translation>数据库：{url}</translation>
    </message>
    <message>
        <source>Chosen by {source}.</source>
        <translation>由{source}指定。</translation>
    </message>
    <message>
        <source>Nothing was changed in the database.</source>
        <translation>数据库未做任何更改。</translation>
    </message>
    <message>
        <source>Choose another database…</source>
        <translation>选择其他数据库…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>DateFilterEdit</name>
    <message>
        <source>Choose the date on a calendar</source>
        <translation>在日历上选择日期</translation>
    </message>
    <message>
        <source>{what}: type a date (2026-07-01, 2026/7/1 or 20260701) or choose one</source>
        <translation>{what}：输入日期（2026-07-01、2026/7/1 或 20260701）或从日历选择</translation>
    </message>
    <message>
        <source>“{text}” is not a date. Type e.g. 2026-07-01, 2026/7/1 or 20260701.</source>
        <translation>“{text}”不是有效日期。请输入如 2026-07-01、2026/7/1 或 20260701。</translation>
    </message>
</context>
<context>
    <name>DefectCategoryDialog</name>
    <message>
        <source>New defect category</source>
        <translation>新建缺陷类别</translation>
    </message>
    <message>
        <source>Defect category {code}</source>
        <translation>缺陷类别 {code}</translation>
    </message>
    <message>
        <source>Active (offered when registering complaints)</source>
        <translation>启用（登记顾客抱怨时可选）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Chinese label</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>English label</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>German label</source>
        <translation>德文名称</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DepartmentDialog</name>
    <message>
        <source>Department {name}</source>
        <translation>部门 {name}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Procedure department</source>
        <translation>程序规定的部门</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
</context>
<context>
    <name>Editors</name>
    <message>
        <source>Creating this kind of record is not available yet.</source>
        <extracomment>Fields never shown in the read-only viewer.</extracomment>
        <translation>暂不能创建此类记录。</translation>
    </message>
    <message>
        <source>{title} {number} (read only)</source>
        <translation>{title} {number}（只读）</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Database not reachable</source>
        <translation>无法连接数据库</translation>
    </message>
    <message>
        <source>The database cannot be reached, so nothing was saved.

{error}</source>
        <translation>无法连接数据库，因此未保存任何内容。

{error}</translation>
    </message>
    <message>
        <source>The connection was lost while saving, and the program could not confirm that the change was saved. Open the record again to see what it holds.

{error}</source>
        <extracomment>The result of a save whose answer was lost but which went through (see ``save``). Emitted after each successful save or action with the record&apos;s id. The record kind, naming its drafts (``complaint``, ``visit``, ``feedback``…). How long after the last keystroke the draft is written (milliseconds). The record shown (``None``: a new one, not saved yet). The version the user opened: updates pass it on (optimistic locking). The tracked inputs, by name (the names key the drafts). This editor wrote (or restored) the draft of its record: it removes it when done. Shown when another PC changed the record (see :meth:`on_remote_changes`).</extracomment>
        <translation>保存时连接中断，程序无法确认更改是否已保存。请重新打开该记录查看其内容。

{error}</translation>
    </message>
    <message>
        <source>Your input is kept on this PC. It is offered back when you open this record again; or try Save again once the connection is back.</source>
        <translation>您输入的内容已保存在本机。再次打开此记录时会提示您恢复；也可以在连接恢复后再次点击“保存”。</translation>
    </message>
    <message>
        <source>Unsaved changes found</source>
        <translation>发现未保存的更改</translation>
    </message>
    <message>
        <source>Restore the unsaved changes from {time} to {record}?</source>
        <translation>是否恢复 {time} 对“{record}”所做的未保存更改？</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save your changes to {record} before closing?</source>
        <translation>关闭前是否保存对“{record}”的更改？</translation>
    </message>
    <message>
        <source>Reload the record</source>
        <translation>重新载入记录</translation>
    </message>
    <message>
        <source>Reloading shows the other change and discards what you typed here. Discard your changes and reload?</source>
        <translation>重新载入将显示对方的更改，并放弃您在此处输入的内容。放弃您的更改并重新载入吗？</translation>
    </message>
    <message>
        <source>Reload</source>
        <extracomment>An editor&apos;s record kind → the audit trail&apos;s table of its record.</extracomment>
        <translation>重新载入</translation>
    </message>
    <message>
        <source>{who} changed this record on another PC at {time}. Reload to see the change; saving now would be refused.</source>
        <translation>{who} 于 {time} 在另一台电脑上修改了此记录。请重新载入查看更改；现在保存将被拒绝。</translation>
    </message>
</context>
<context>
    <name>Enums</name>
    <message>
        <source>Sales Department</source>
        <translation>业务部</translation>
    </message>
    <message>
        <source>Quality Assurance Department</source>
        <translation>质保部</translation>
    </message>
    <message>
        <source>Technical Section</source>
        <translation>技术课</translation>
    </message>
    <message>
        <source>Manufacturing Department</source>
        <translation>制造部</translation>
    </message>
    <message>
        <source>Administration Department</source>
        <translation>管理部</translation>
    </message>
    <message>
        <source>General Manager</source>
        <translation>总经理</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德文</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>急件</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通件</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>调查分析中</translation>
    </message>
    <message>
        <source>Countermeasures</source>
        <translation>对策实施中</translation>
    </message>
    <message>
        <source>Customer notice</source>
        <translation>告知顾客</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待批准</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Closed (holiday)</source>
        <translation>休息（节假日）</translation>
    </message>
    <message>
        <source>Working day (make-up / extra)</source>
        <translation>上班（调休 / 加班）</translation>
    </message>
    <message>
        <source>Public holiday schedule</source>
        <translation>法定节假日安排</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>本公司</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>运输</translation>
    </message>
    <message>
        <source>Undetermined</source>
        <translation>无法确认</translation>
    </message>
    <message>
        <source>Process improvement</source>
        <translation>工艺过程改善</translation>
    </message>
    <message>
        <source>Management-method improvement</source>
        <translation>管理方式的改善</translation>
    </message>
    <message>
        <source>Mould or equipment improvement</source>
        <translation>模具或设备的改善</translation>
    </message>
    <message>
        <source>Inspection-method improvement</source>
        <translation>检测手段的改善</translation>
    </message>
    <message>
        <source>Awaiting supplier reply</source>
        <translation>待供应商回复</translation>
    </message>
    <message>
        <source>Reply to verify</source>
        <translation>待验证</translation>
    </message>
    <message>
        <source>Verified effective</source>
        <translation>验证有效</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation>已实施</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>来信</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Fax</source>
        <translation>传真</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Quality problem</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>供货状况</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Technical question</source>
        <translation>技术问题</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>In circulation</source>
        <translation>传阅中</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>转为抱怨</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划中</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已收回</translation>
    </message>
    <message>
        <source>Technical consultation</source>
        <translation>技术咨询</translation>
    </message>
    <message>
        <source>Product instructions</source>
        <translation>使用/安装说明</translation>
    </message>
    <message>
        <source>Spare parts</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Product exchange</source>
        <translation>调换</translation>
    </message>
    <message>
        <source>On-site service</source>
        <translation>现场服务</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>ErrorHandling</name>
    <message>
        <source>An unexpected error occurred: {error}

The details were written to the log file {log}. Please send it to your IT contact.</source>
        <extracomment>The colour of an error message under a form (login, first run, database settings).</extracomment>
        <translation>发生了意外错误：{error}

详细信息已写入日志文件 {log}。请将该文件发给贵公司的 IT 联系人。</translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation>CQMS Desktop</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>A closed complaint is read-only; only the General Manager can reopen it.</source>
        <extracomment>What QA finds out during the investigation completes or corrects the registration data (a complaint handed over from a feedback often arrives without product, lot or quantities): QA may change these registration fields from its first step (the investigation) until closure; while the complaint is registered they are Sales&apos; alone. Every change is audited with its old value. States in which long-term countermeasures may be added, changed and carried out.</extracomment>
        <translation>已结案的顾客抱怨为只读；只有总经理可以重新打开。</translation>
    </message>
    <message>
        <source>{field} cannot be changed here.</source>
        <translation>此处不能修改{field}。</translation>
    </message>
    <message>
        <source>Only {departments} may change {field}.</source>
        <translation>只有{departments}可以修改{field}。</translation>
    </message>
    <message>
        <source>{field} cannot be changed while the complaint is “{status}”.</source>
        <translation>顾客抱怨处于“{status}”状态时不能修改{field}。</translation>
    </message>
    <message>
        <source>{field} must be a date, not “{value}”.</source>
        <extracomment>A PC&apos;s clock may run a little ahead of the server&apos;s; a &quot;future&quot; time within this is fine.</extracomment>
        <translation>{field}必须是日期，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} must be a date and time, not “{value}”.</source>
        <translation>{field}必须是日期和时间，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} is required.</source>
        <extracomment>The years the public schedule is loaded for (the State Council publishes one a year). What an import file may write in its &quot;kind&quot; column for each kind (lower case). Column headings an import file may use (lower case). Days of the public schedule left as the company entered them. Unhandled complaints whose deadline moved. Make-up working days the public schedule has for the year (0: none published yet).
----------
Who keeps which kind of record (5.1.4: Technical Section advises and writes instructions, Sales supplies spare parts and exchanges; 5.1.5 on-site service by whoever is sent).
----------
Who records and edits visits (4.1: Sales is the window to the customer).</extracomment>
        <translation>{field}为必填项。</translation>
    </message>
    <message>
        <source>{field} cannot be in the future.</source>
        <translation>{field}不能是将来的时间。</translation>
    </message>
    <message>
        <source>{field} cannot be more than {other}.</source>
        <translation>{field}不能大于{other}。</translation>
    </message>
    <message>
        <source>{field}: at least one long-term countermeasure is required when the company is responsible or responsibility is undetermined.</source>
        <translation>{field}：责任归属为本公司或无法确认时，至少需要一项长久对策。</translation>
    </message>
    <message>
        <source>{field}: “{action}” has not been verified by QA yet.</source>
        <translation>{field}：“{action}”尚未经质保部验证。</translation>
    </message>
    <message>
        <source>{field} is from before the customer&apos;s last refusal: record the new notice of this round.</source>
        <translation>{field}早于顾客上次不接受的时间：请记录本轮新的告知。</translation>
    </message>
    <message>
        <source>{field} cannot be before {other}.</source>
        <translation>{field}不能早于{other}。</translation>
    </message>
    <message>
        <source>{field}: the QA engineer in charge of the complaint prepares its handling form and cannot also review it by verifying an action; ask another QA user.</source>
        <translation>{field}：负责此抱怨的质保人员编制其处理单，不能再通过验证对策来审核它；请让另一位质保人员验证。</translation>
    </message>
    <message>
        <source>{field}: the owner of an action cannot verify it; ask another QA user.</source>
        <translation>{field}：措施负责人不能验证自己的措施；请由另一位质保部用户验证。</translation>
    </message>
    <message>
        <source>{field}: whoever recorded the execution cannot verify it; ask another QA user.</source>
        <translation>{field}：记录执行情况的人不能验证该措施，请由另一位质保人员验证。</translation>
    </message>
    <message>
        <source>{field}: the action must be carried out before it can be verified.</source>
        <translation>{field}：措施须先实施才能验证。</translation>
    </message>
    <message>
        <source>Unknown step: {step}</source>
        <extracomment>States that count as &quot;open&quot; for dashboards and overdue lists. Who is shown the overdue complaints when the program opens: QA handles complaints (4.2), the General Manager supervises the handling (4.5).</extracomment>
        <translation>未知步骤：{step}</translation>
    </message>
    <message>
        <source>“{step}” is not possible while the complaint is “{status}”.</source>
        <translation>顾客抱怨处于“{status}”状态时不能执行“{step}”。</translation>
    </message>
    <message>
        <source>Only {departments} may take the step “{step}”.</source>
        <translation>只有{departments}可以执行步骤“{step}”。</translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a known time zone.</source>
        <translation>{field}：“{value}”不是已知的时区。</translation>
    </message>
    <message>
        <source>{field} must be a whole number, not “{value}”.</source>
        <extracomment>The four items of 5.1.3, in the order of the form. The record field holding each item&apos;s score. Label of the overall score where it is named among the below-target items. Quarters outside these years are typing mistakes, not survey campaigns.</extracomment>
        <translation>{field}必须是整数，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} must be between {min} and {max}, not {value}.</source>
        <translation>{field}必须在 {min} 到 {max} 之间，而不是 {value}。</translation>
    </message>
    <message>
        <source>Unknown survey item “{item}”.</source>
        <translation>未知的调查项目“{item}”。</translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a quarter; write it like 2026-Q4 (Q1 to Q4).</source>
        <translation>{field}：“{value}”不是季度；请写成 2026-Q4 的形式（Q1 至 Q4）。</translation>
    </message>
    <message>
        <source>{field}: the year {year} is out of range ({min}–{max}).</source>
        <translation>{field}：年份 {year} 超出范围（{min}–{max}）。</translation>
    </message>
    <message>
        <source>{field} must be text, not “{value}”.</source>
        <translation>{field}必须是文本，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} is too long (at most {max} characters).</source>
        <translation>{field}过长（最多 {max} 个字符）。</translation>
    </message>
    <message>
        <source>{field} must be yes or no, not “{value}”.</source>
        <translation>{field}只能为是或否，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} must give a weight for each item.</source>
        <translation>{field}必须为每一项给出权重。</translation>
    </message>
    <message>
        <source>{field}: “{value}” is not one of the allowed values.</source>
        <translation>{field}：“{value}”不是允许的值。</translation>
    </message>
    <message>
        <source>{field}: at least one weight must be above zero.</source>
        <translation>{field}：至少一项权重必须大于零。</translation>
    </message>
    <message>
        <source>{field} ({high}) must be above where the scale starts ({low}).</source>
        <translation>{field}（{high}）必须高于评分下限（{low}）。</translation>
    </message>
    <message>
        <source>{field} ({value}) must lie on the survey scale ({low}–{high}).</source>
        <translation>{field}（{value}）必须在调查评分范围内（{low}–{high}）。</translation>
    </message>
    <message>
        <source>{field} may contain only letters, digits, “.”, “-” and “_” (at most 32).</source>
        <translation>{field}只能包含字母、数字、“.”、“-”和“_”（最多 32 个）。</translation>
    </message>
    <message>
        <source>{field} must be 2–64 letters, digits or “._@-”, without spaces.</source>
        <translation>{field}必须由 2–64 个字母、数字或“._@-”组成，不能含空格。</translation>
    </message>
    <message>
        <source>{field} must have at least {min} characters.</source>
        <translation>{field}至少需要 {min} 个字符。</translation>
    </message>
    <message>
        <source>{field} contains a character that cannot be stored ({code}); remove it.</source>
        <extracomment>Amounts are ``DECIMAL(12, 2)``: at most ten digits before the point (SQLite keeps them as floats, exact to 15 significant digits, so the twelve allowed are never rounded). Dates and times outside these years are typing mistakes (and year 1 or 9999 overflows as soon as it is moved across a time zone or a deadline is added).</extracomment>
        <translation>{field}包含无法保存的字符（{code}），请删除该字符。</translation>
    </message>
    <message>
        <source>{field} is too large (at most {max}).</source>
        <translation>{field}过大（最大为 {max}）。</translation>
    </message>
    <message>
        <source>{field} cannot be negative.</source>
        <translation>{field}不能为负数。</translation>
    </message>
    <message>
        <source>{field} is too small (at least {min}).</source>
        <translation>{field}过小（最小为 {min}）。</translation>
    </message>
    <message>
        <source>{field} must be an amount, not “{value}”.</source>
        <translation>{field}必须是金额，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} must be between the years {first} and {last}.</source>
        <extracomment>Date (and date-time) formats accepted when a date is written as text.</extracomment>
        <translation>{field}的年份必须在 {first} 年至 {last} 年之间。</translation>
    </message>
    <message>
        <source>{field} must be a number, not “{value}”.</source>
        <translation>{field}必须是数字，而不是“{value}”。</translation>
    </message>
    <message>
        <source>The font for printed forms ({path}) is missing or damaged: {reason}. Reinstall the program.</source>
        <extracomment>The name the font is registered under with ReportLab. The shipped font file, relative to ``resources/``.</extracomment>
        <translation>打印表单所用的字体（{path}）缺失或已损坏：{reason}。请重新安装本程序。</translation>
    </message>
    <message>
        <source>Forms can be printed in {languages}, not “{value}”.</source>
        <extracomment>(enum class, stored code) → (中文, English, Deutsch).</extracomment>
        <translation>表单可以用{languages}打印，不能用“{value}”。</translation>
    </message>
    <message>
        <source>The first administrator has already been created.</source>
        <translation>第一个管理员已经创建。</translation>
    </message>
    <message>
        <source>The user name “{name}” is taken.</source>
        <translation>用户名“{name}”已被使用。</translation>
    </message>
    <message>
        <source>At least one active administrator must remain.</source>
        <translation>必须至少保留一个有效的管理员。</translation>
    </message>
    <message>
        <source>This account has no password to change.</source>
        <translation>此账户没有可修改的密码。</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation>新密码必须与当前密码不同。</translation>
    </message>
    <message>
        <source>There is no user “{name}”.</source>
        <translation>没有用户“{name}”。</translation>
    </message>
    <message>
        <source>{field}: no such user.</source>
        <translation>{field}：没有此用户。</translation>
    </message>
    <message>
        <source>{field} “{value}” is already in use as “{existing}” (keys differing only in capitals or accents count as the same).</source>
        <translation>{field}“{value}”已被“{existing}”使用（仅大小写或重音不同的代码视为相同）。</translation>
    </message>
    <message>
        <source>{field} “{value}” is already in use.</source>
        <translation>{field}“{value}”已被使用。</translation>
    </message>
    <message>
        <source>Unknown setting “{key}”.</source>
        <translation>未知的设置“{key}”。</translation>
    </message>
    <message>
        <source>{key} must be at least 1.</source>
        <translation type="vanished">{key}至少为 1。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>The account “{user}” is disabled. Ask an administrator.</source>
        <translation>账户“{user}”已停用。请联系管理员。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked for another {minutes} minutes.</source>
        <translation>密码错误次数过多：账户已锁定，还需等待 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>Only an administrator may do this.</source>
        <extracomment>An administrator asked for a new password: nothing else until it is chosen.</extracomment>
        <translation>只有管理员可以执行此操作。</translation>
    </message>
    <message>
        <source>Only {departments} may do this.</source>
        <translation>只有{departments}可以执行此操作。</translation>
    </message>
    <message>
        <source>Your account has been disabled or removed: nothing was saved. Ask an administrator.</source>
        <translation>您的账户已被停用或删除：未保存任何内容。请联系管理员。</translation>
    </message>
    <message>
        <source>An administrator has changed your department or rights since you signed in: nothing was saved. Sign out and sign in again.</source>
        <translation>自您登录后，管理员已更改您的部门或权限：未保存任何内容。请注销后重新登录。</translation>
    </message>
    <message>
        <source>An administrator has asked you to choose a new password: nothing else is possible until you have.</source>
        <translation>管理员要求您设置新密码：设置之前无法进行其他操作。</translation>
    </message>
    <message>
        <source>{field}: {department} has already acknowledged; it cannot be removed.</source>
        <extracomment>5.1.1: a visit&apos;s requests go to these four departments (the rule is the domain&apos;s). 5.1.2: Sales may forward a feedback to any other department.</extracomment>
        <translation>{field}：{department}已签收，不能移除。</translation>
    </message>
    <message>
        <source>{field} must be a date and time.</source>
        <extracomment>Sales completes, routes and closes feedback (4.1).</extracomment>
        <translation>{field}必须是日期和时间。</translation>
    </message>
    <message>
        <source>{field}: the record does not exist.</source>
        <translation>{field}：记录不存在。</translation>
    </message>
    <message>
        <source>{field} belongs to another customer.</source>
        <translation>{field}属于另一个顾客。</translation>
    </message>
    <message>
        <source>Unknown field “{key}”.</source>
        <translation>未知的字段“{key}”。</translation>
    </message>
    <message>
        <source>The feedback has been handed to QA as a complaint; it is read-only.</source>
        <translation>该质量反馈已作为顾客抱怨转交质保部，为只读。</translation>
    </message>
    <message>
        <source>The feedback is closed; it is read-only.</source>
        <translation>该质量反馈已结案，为只读。</translation>
    </message>
    <message>
        <source>Only a closed feedback is reopened.</source>
        <translation>只有已结案的质量反馈可以重新打开。</translation>
    </message>
    <message>
        <source>The feedback was closed with complaint {number}; only the General Manager&apos;s reopening of the complaint reopens it.</source>
        <translation>该质量反馈已随顾客抱怨 {number} 结案；只有总经理重新打开该抱怨，才能重新打开此质量反馈。</translation>
    </message>
    <message>
        <source>{field}: only a quality problem is sent to QA as a complaint; this feedback is typed “{type}”.</source>
        <translation>{field}：只有质量问题才作为顾客抱怨转交质保部；此反馈的类型为“{type}”。</translation>
    </message>
    <message>
        <source>{field} must be a user of {department}.</source>
        <translation>{field}必须是{department}的用户。</translation>
    </message>
    <message>
        <source>{field}: no such record.</source>
        <translation>{field}：没有此记录。</translation>
    </message>
    <message>
        <source>{field} must be the customer of the feedback.</source>
        <translation>{field}必须是该质量反馈的顾客。</translation>
    </message>
    <message>
        <source>The feedback {number} is closed.</source>
        <translation>质量反馈 {number} 已结案。</translation>
    </message>
    <message>
        <source>The feedback {number} has already become complaint {complaint}.</source>
        <translation>质量反馈 {number} 已转为顾客抱怨 {complaint}。</translation>
    </message>
    <message>
        <source>Long-term countermeasures cannot be changed while the complaint is “{status}”.</source>
        <translation>顾客抱怨处于“{status}”状态时不能修改长久对策。</translation>
    </message>
    <message>
        <source>A countermeasure that has been carried out cannot be changed.</source>
        <translation>已实施的对策不能修改。</translation>
    </message>
    <message>
        <source>A countermeasure that has been carried out cannot be removed.</source>
        <translation>已实施的对策不能删除。</translation>
    </message>
    <message>
        <source>This countermeasure has already been verified.</source>
        <translation>此对策已经验证。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is not a file that can be read.</source>
        <translation>{field}：“{name}”不是可读取的文件。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is {size} MB; at most {max} MB are allowed.</source>
        <translation>{field}：“{name}”为 {size} MB；最多允许 {max} MB。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is {size} MB; this database server takes files of at most {max} MB (its max_allowed_packet setting). Attach a smaller file, or ask IT to raise max_allowed_packet on the server.</source>
        <translation>{field}：“{name}”大小为 {size} MB；该数据库服务器最多接受 {max} MB 的文件（由其 max_allowed_packet 设置决定）。请添加较小的文件，或请 IT 调高服务器的 max_allowed_packet。</translation>
    </message>
    <message>
        <source>{field}: “{value}” is neither closed nor working.</source>
        <translation>{field}：“{value}”既不是休息（closed）也不是上班（working）。</translation>
    </message>
    <message>
        <source>{field}: {value} is already in the calendar; remove it first.</source>
        <translation>{field}：{value} 已在日历中，请先删除。</translation>
    </message>
    <message>
        <source>{day} is not in the company calendar.</source>
        <translation>{day} 不在公司日历中。</translation>
    </message>
    <message>
        <source>{field}: {value} is listed twice.</source>
        <translation>{field}：{value} 出现了两次。</translation>
    </message>
    <message>
        <source>{field}: the first row must name the columns date, kind and (optionally) note.</source>
        <extracomment>The note of a make-up working day, stored as data in the language of the schedule&apos;s names.</extracomment>
        <translation>{field}：第一行必须写明列名 date（日期）、kind（类型），以及可选的 note（备注）。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is not a .csv or .xlsx file.</source>
        <translation>{field}：“{name}”不是 .csv 或 .xlsx 文件。</translation>
    </message>
    <message>
        <source>{field}: “{name}” cannot be read ({error}).</source>
        <translation>{field}：无法读取“{name}”（{error}）。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is empty.</source>
        <translation>{field}：“{name}”是空的。</translation>
    </message>
    <message>
        <source>Row {row}: {problem}</source>
        <translation>第 {row} 行：{problem}</translation>
    </message>
    <message>
        <source>The record no longer exists (it may have been deleted).</source>
        <extracomment>The change-event kind of the list. Who manages the list (administrators always may).
----------
The change-event kind. Who raises, answers, verifies and closes SCARs.
----------
The change-event kind of the list. Who keeps the list besides the administrators.</extracomment>
        <translation>该记录已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <source>{field}: “{name}” cannot be written ({error}).</source>
        <translation>{field}：无法写入“{name}”（{error}）。</translation>
    </message>
    <message>
        <source>There is no feedback “{number}”.</source>
        <extracomment>The error :func:`feedback_by_number` gives for a number no feedback has.</extracomment>
        <translation>没有质量反馈“{number}”。</translation>
    </message>
    <message>
        <source>{field}: no such product.</source>
        <translation>{field}：没有此产品。</translation>
    </message>
    <message>
        <source>{field} must be at least 1.</source>
        <translation>{field}至少为 1。</translation>
    </message>
    <message>
        <source>There is no service record “{number}”.</source>
        <extracomment>The error :func:`service_record_by_number` gives for a number no service record has.</extracomment>
        <translation>没有服务记录“{number}”。</translation>
    </message>
    <message>
        <source>{field}: “{name}” already has a survey for {quarter}.</source>
        <extracomment>Sales sends the surveys and records the answers (5.1.3). The feedback type that matches each survey item (the lowest item decides).</extracomment>
        <translation>{field}：“{name}”在 {quarter} 已有满意度调查。</translation>
    </message>
    <message>
        <source>There is no survey “{number}”.</source>
        <extracomment>The error :func:`survey_by_number` gives for a number no survey has.</extracomment>
        <translation>没有满意度调查“{number}”。</translation>
    </message>
    <message>
        <source>{field}: “{value}” is not a date (YYYY-MM-DD).</source>
        <translation>{field}：“{value}”不是日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>{field}: no such customer.</source>
        <translation>{field}：没有此顾客。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is not an active customer.</source>
        <translation>{field}：“{name}”不是有效顾客。</translation>
    </message>
    <message>
        <source>There is no visit “{number}”.</source>
        <extracomment>The error :func:`visit_by_number` gives for a number no visit has.</extracomment>
        <translation>没有顾客访问“{number}”。</translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing, so nothing can be saved. An administrator should run “cqms check”.</source>
        <extracomment>``(table, field)`` whose values are secrets: the trail says that they changed, never what to. What the trail holds for a secret: this text and a fingerprint of the stored value. An audit row before it is chained: at, username, table, record id, action, field, old, new.</extracomment>
        <translation>审计记录的链头缺失，因此无法保存任何内容。请管理员运行“cqms check”。</translation>
    </message>
    <message>
        <source>{who} changed this record at {when} after you opened it. Your changes were not saved: reopen the record to see the new version, then make your changes again.</source>
        <translation>在您打开此记录后，{who} 于 {when} 修改了它。您的更改未保存：请重新打开记录查看新版本，然后再次修改。</translation>
    </message>
    <message>
        <source>No database is open.</source>
        <translation>没有打开的数据库。</translation>
    </message>
    <message>
        <source>The SQLite URL “{url}” is malformed: write sqlite:///relative/path or sqlite:////absolute/path.</source>
        <translation>SQLite URL“{url}”格式错误：请写成 sqlite:///相对路径 或 sqlite:////绝对路径。</translation>
    </message>
    <message>
        <source>Unknown database type “{scheme}”. Use sqlite:///file.sqlite3, postgresql://user@host:port/database or mysql://user@host:port/database.</source>
        <extracomment>The name used before it was public (other modules may still call it so).</extracomment>
        <translation>未知的数据库类型“{scheme}”。请使用 sqlite:///文件.sqlite3、postgresql://用户@主机:端口/数据库 或 mysql://用户@主机:端口/数据库。</translation>
    </message>
    <message>
        <source>“{path}” is a folder, not a database file.</source>
        <translation>“{path}”是文件夹，不是数据库文件。</translation>
    </message>
    <message>
        <source>Cannot read the database file “{path}”: {reason}</source>
        <translation>无法读取数据库文件“{path}”：{reason}</translation>
    </message>
    <message>
        <source>“{path}” is not a SQLite database. Choose the CQMS database file or a new file name.</source>
        <translation>“{path}”不是 SQLite 数据库。请选择 CQMS 数据库文件或输入新文件名。</translation>
    </message>
    <message>
        <source>The database file “{path}” or its folder is read-only. Ask IT for write access or copy the file to a folder you may write to.</source>
        <translation>数据库文件“{path}”或其所在文件夹为只读。请向 IT 申请写入权限，或将文件复制到您可写入的文件夹。</translation>
    </message>
    <message>
        <source>“{path}” is a Windows network path. On this system, mount the share and use the file&apos;s path in the mounted folder.</source>
        <translation>“{path}”是 Windows 网络路径。在本系统上请先挂载该共享，再使用挂载目录中的文件路径。</translation>
    </message>
    <message>
        <source>The network folder of the database file “{path}” cannot be reached. Check the network connection and that the share exists and you may use it.</source>
        <translation>无法访问数据库文件“{path}”所在的网络文件夹。请检查网络连接，并确认该共享存在且您有权访问。</translation>
    </message>
    <message>
        <source>Cannot create the folder “{path}”: {reason}</source>
        <translation>无法创建文件夹“{path}”：{reason}</translation>
    </message>
    <message>
        <source>Cannot create a database in the read-only folder “{path}”.</source>
        <translation>无法在只读文件夹“{path}”中创建数据库。</translation>
    </message>
    <message>
        <source>The database file is on a network share. That works for one PC writing at a time; when several PCs enter records at the same time, move the data to a PostgreSQL or MariaDB server (cqms backup / cqms restore).</source>
        <translation>数据库文件位于网络共享上。同一时间只有一台电脑写入时可以正常使用；如果多台电脑需要同时录入记录，请将数据迁移到 PostgreSQL 或 MariaDB 服务器（cqms backup / cqms restore）。</translation>
    </message>
    <message>
        <source>The database URL “{url}” is malformed: {reason}</source>
        <translation>数据库 URL“{url}”格式错误：{reason}</translation>
    </message>
    <message>
        <source>The database URL “{url}” names no database (…/database at the end).</source>
        <translation>数据库 URL“{url}”没有指定数据库名（末尾应为 …/数据库名）。</translation>
    </message>
    <message>
        <source>The server {display} refused the user name or password. Check them in the database URL (Settings → Database).</source>
        <translation>服务器 {display} 拒绝了用户名或密码。请检查数据库 URL 中的用户名和密码（设置 → 数据库）。</translation>
    </message>
    <message>
        <source>The database named in {display} does not exist on the server. Ask IT to create it, then start CQMS again.</source>
        <translation>{display} 中指定的数据库在服务器上不存在。请让 IT 创建该数据库，然后重新启动 CQMS。</translation>
    </message>
    <message>
        <source>Cannot reach the database server {display}. Check the network and that the server is running. ({reason})</source>
        <translation>无法连接数据库服务器 {display}。请检查网络以及服务器是否在运行。（{reason}）</translation>
    </message>
    <message>
        <source>The database URL is empty.</source>
        <translation>数据库 URL 为空。</translation>
    </message>
    <message>
        <source>Cannot open the SQLite database “{path}”: {reason}</source>
        <translation>无法打开 SQLite 数据库“{path}”：{reason}</translation>
    </message>
    <message>
        <source>The database is busy with other users&apos; changes: nothing was saved. Try again in a moment.</source>
        <translation>数据库正忙于处理其他用户的更改：未保存任何内容。请稍后再试。</translation>
    </message>
    <message>
        <source>This database was made by a newer version of CQMS Desktop (schema {found}; this program knows up to {latest}). It was not changed. Install the newer version on this PC.</source>
        <extracomment>The schema version this program writes. The step that put the audit trail on a hash chain (older databases get a baseline after it). The step that made the registers&apos; text search index (tests run it on its own). version → the step that upgrades a database from ``version - 1`` to ``version``. Steps use explicit DDL (playhouse.migrate), never the current models, which move on.</extracomment>
        <translation>此数据库由更新版本的 CQMS Desktop 创建（结构版本 {found}；本程序最高支持 {latest}）。数据库未被更改。请在本机安装新版本。</translation>
    </message>
    <message>
        <source>The database is not empty and is not a CQMS database (it has tables such as “{table}”). Use an empty database.</source>
        <translation>该数据库不是空的，也不是 CQMS 数据库（其中有“{table}”等表）。请使用空数据库。</translation>
    </message>
    <message>
        <source>No upgrade step to schema version {version}.</source>
        <translation>没有升级到结构版本 {version} 的步骤。</translation>
    </message>
    <message>
        <source>The database {database} could not be prepared for use: {reason}. If another program has it open, close that program and try again.</source>
        <translation>无法准备数据库 {database}：{reason}。如果有其他程序正在使用它，请关闭该程序后重试。</translation>
    </message>
    <message>
        <source>There is no complaint numbered “{number}”.</source>
        <extracomment>The defect category&apos;s labels by language (zh/en/de) from the managed list.</extracomment>
        <translation>没有编号为“{number}”的顾客抱怨。</translation>
    </message>
    <message>
        <source>There is no form “{value}”; choose one of {kinds}.</source>
        <extracomment>Form kind → the module that gathers and lays out its record. Reports in a customer&apos;s format made from a record&apos;s data, rendered like the forms: the 8D report of a complaint (given the complaint&apos;s number). Kept apart from the record forms. The language of a blank form when none is asked for: the company&apos;s own.
----------
Form kind → the table its number is looked up in (the 8D report is a complaint&apos;s). Who may send a record&apos;s form to the customer: the departments that talk to customers.</extracomment>
        <translation>没有表单“{value}”；请从 {kinds} 中选择。</translation>
    </message>
    <message>
        <source>Forms are saved as {formats}, not “{value}”.</source>
        <translation>表单保存为 {formats}，不能保存为“{value}”。</translation>
    </message>
    <message>
        <source>Give the number of the record to print.</source>
        <translation>请给出要打印的记录编号。</translation>
    </message>
    <message>
        <source>The form could not be saved as {path}: {reason}</source>
        <translation>无法将表单保存为 {path}：{reason}</translation>
    </message>
    <message>
        <source>The export file “{path}” must end in .xlsx.</source>
        <extracomment>Rows fetched per query; progress and cancellation are checked between chunks. Pixels per character of Excel&apos;s default font, to turn list widths into Excel widths.</extracomment>
        <translation>导出文件“{path}”必须以 .xlsx 结尾。</translation>
    </message>
    <message>
        <source>The folder “{path}” does not exist.</source>
        <translation>文件夹“{path}”不存在。</translation>
    </message>
    <message>
        <source>The list has no column “{column}” to export.</source>
        <translation>列表中没有可导出的列“{column}”。</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <extracomment>True when the kept workbook was written (the period was signed off before). True when this export signed the review off.</extracomment>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>The scale must be a whole number from 1 to {max}.</source>
        <extracomment>Recent complaints placed so that every state (and an overdue one) is always on show: (days ago, state), one each for the first customers of every 25. Marker written into the audit trail (field name) when demonstration data is loaded. One customer&apos;s built records by kind (&quot;visits&quot;, &quot;surveys&quot;, &quot;feedback&quot;, ...).</extracomment>
        <translation>倍数必须是 1 到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>The seed must be a whole number.</source>
        <translation>种子必须是整数。</translation>
    </message>
    <message>
        <source>Demonstration data has already been loaded into this database.</source>
        <translation>此数据库已经载入过演示数据。</translation>
    </message>
    <message>
        <source>This database already holds records ({table}). Demonstration data is only loaded into a new database: use a new file or an empty database.</source>
        <translation>此数据库已有记录（{table}）。演示数据只能载入新数据库：请使用新文件或空数据库。</translation>
    </message>
    <message>
        <source>Loading the demonstration data was cancelled; nothing saved.</source>
        <translation>已取消载入演示数据；未保存任何内容。</translation>
    </message>
    <message>
        <source>The scale must end above where it starts.</source>
        <translation type="vanished">评分上限必须高于下限。</translation>
    </message>
    <message>
        <source>The target must lie on the survey scale.</source>
        <translation type="vanished">目标必须在调查评分范围内。</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>There is no feedback numbered “{number}”.</source>
        <extracomment>For a feedback generated from a below-target survey: why (printed in the form language).</extracomment>
        <translation>没有编号为“{number}”的质量反馈。</translation>
    </message>
    <message>
        <source>There is no service record numbered “{number}”.</source>
        <translation>没有编号为“{number}”的服务记录。</translation>
    </message>
    <message>
        <source>There is no satisfaction survey numbered “{number}”.</source>
        <extracomment>The most score boxes one row of the questionnaire can hold.</extracomment>
        <translation>没有编号为“{number}”的满意度调查。</translation>
    </message>
    <message>
        <source>There is no visit numbered “{number}”.</source>
        <translation>没有编号为“{number}”的顾客访问。</translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing: run “cqms check”.</source>
        <extracomment>The environment variable a restore takes the backup key from (hex, as ``cqms backup-key``). Tables a freshly initialised database already fills (replaced by the backup&apos;s rows).</extracomment>
        <translation>审计记录的链头缺失：请运行“cqms check”。</translation>
    </message>
    <message>
        <source>The database has schema version {found}, this program writes {latest}. Run “cqms init” to create or upgrade it first.</source>
        <translation>数据库的结构版本为 {found}，本程序使用 {latest}。请先运行“cqms init”创建或升级数据库。</translation>
    </message>
    <message>
        <source>“{path}” is a folder: give the backup a file name in it.</source>
        <translation>“{path}”是一个文件夹：请为备份指定该文件夹中的文件名。</translation>
    </message>
    <message>
        <source>Cannot write the backup “{path}”: {reason}</source>
        <translation>无法写入备份“{path}”：{reason}</translation>
    </message>
    <message>
        <source>The audit trail&apos;s chain head is missing: run “cqms check”. No backup was written.</source>
        <translation>审计记录的链头缺失：请运行“cqms check”。未写入备份。</translation>
    </message>
    <message>
        <source>“{path}” is damaged or not a CQMS backup ({reason}). Nothing was restored.</source>
        <translation>“{path}”已损坏或不是 CQMS 备份（{reason}）。未恢复任何内容。</translation>
    </message>
    <message>
        <source>The backup file “{path}” does not exist.</source>
        <translation>备份文件“{path}”不存在。</translation>
    </message>
    <message>
        <source>The backup “{path}” has format version {found}; this program reads version {known}. Use the CQMS version that made it.</source>
        <translation>备份“{path}”的格式版本为 {found}；本程序读取版本 {known}。请使用生成该备份的 CQMS 版本。</translation>
    </message>
    <message>
        <source>The backup “{path}” has a table “{table}” this program does not know in that form. Restore it with the CQMS version that made it.</source>
        <translation>备份“{path}”中的表“{table}”的结构本程序无法识别。请使用生成该备份的 CQMS 版本恢复。</translation>
    </message>
    <message>
        <source>The audit trail in the backup “{path}” was altered after it was written ({detail}). Nothing was restored.</source>
        <translation>备份“{path}”中的审计记录在写入后被改动（{detail}）。未恢复任何内容。</translation>
    </message>
    <message>
        <source>The backup “{path}” is signed with backup key {key_id}, which this database does not hold. Give that key (“cqms backup-key” on the database that made the backup shows it) with --key-file or the CQMS_BACKUP_KEY variable. If the key is lost with the old database, restore with --without-key: the file&apos;s checksums and audit chain are still checked, but not who made it, and the restore is recorded in the audit trail. Nothing was restored.</source>
        <translation>备份“{path}”由备份密钥 {key_id} 签名，而本数据库没有该密钥。请用 --key-file 或 CQMS_BACKUP_KEY 变量提供该密钥（在生成该备份的数据库上运行“cqms backup-key”即可显示）。如果密钥已随旧数据库丢失，请使用 --without-key 恢复：仍会校验文件的校验和与审计链，但无法核实备份来源，且此次恢复会记入审计记录。未恢复任何内容。</translation>
    </message>
    <message>
        <source>The backup “{path}” is signed with backup key {key_id}, which this database does not hold. Give that key (“cqms backup-key” on the database that made the backup shows it) with --key-file or the CQMS_BACKUP_KEY variable. Nothing was restored.</source>
        <translation type="vanished">备份“{path}”使用备份密钥 {key_id} 签名，而本数据库没有该密钥。请通过 --key-file 或环境变量 CQMS_BACKUP_KEY 提供该密钥（在生成该备份的数据库上运行“cqms backup-key”可显示）。未恢复任何内容。</translation>
    </message>
    <message>
        <source>The target database is not empty (table “{table}” has rows). Restore only into a new or freshly initialised database; nothing was changed.</source>
        <translation>目标数据库不是空的（表“{table}”中有数据）。只能恢复到新的或刚初始化的数据库；未做任何更改。</translation>
    </message>
    <message>
        <source>The backup has schema version {found}, this program {latest}. Restore it with the CQMS version that made it, upgrade with “cqms init”, and back it up again.</source>
        <translation>备份的结构版本为 {found}，本程序为 {latest}。请用生成该备份的 CQMS 版本恢复，用“cqms init”升级后再重新备份。</translation>
    </message>
    <message>
        <source>After restoring, table “{table}” holds {rows} rows that do not match the backup ({expected} rows). The restore was rolled back.</source>
        <translation>恢复后表“{table}”有 {rows} 行，与备份（{expected} 行）不符。恢复已回滚。</translation>
    </message>
    <message>
        <source>A period is required: write 2026-11 (a month), 2026Q4 (a quarter) or 2026 (a year).</source>
        <extracomment>Years a review period may name; anything else is a typing mistake. Months shown in the trend.</extracomment>
        <translation>需要指定期间：写成 2026-11（月）、2026Q4（季度）或 2026（年）。</translation>
    </message>
    <message>
        <source>“{value}” is not a period: write 2026-11 (a month), 2026Q4 (a quarter) or 2026 (a year).</source>
        <translation>“{value}”不是期间：请写成 2026-11（月）、2026Q4（季度）或 2026（年）。</translation>
    </message>
    <message>
        <source>The year {year} is out of range ({min}–{max}).</source>
        <translation>年份 {year} 超出范围（{min}–{max}）。</translation>
    </message>
    <message>
        <source>The month {month} of “{value}” does not exist (01 to 12).</source>
        <translation>“{value}”中的月份 {month} 不存在（01 至 12）。</translation>
    </message>
    <message>
        <source>The quarter Q{quarter} of “{value}” does not exist (Q1 to Q4).</source>
        <translation>“{value}”中的季度 Q{quarter} 不存在（Q1 至 Q4）。</translation>
    </message>
    <message>
        <source>There is no customer with the code “{code}”.</source>
        <translation>没有代码为“{code}”的顾客。</translation>
    </message>
    <message>
        <source>The print preview needs QtPdf (PySide6-Pdf).</source>
        <translation>打印预览需要 QtPdf（PySide6-Pdf）。</translation>
    </message>
    <message>
        <source>The form could not be read for the preview ({error}).</source>
        <translation>无法读取表单以进行预览（{error}）。</translation>
    </message>
    <message>
        <source>Choose at least one record to print.</source>
        <extracomment>The most records one batch prints (a guard against selecting a whole 100,000-row list).</extracomment>
        <translation>请至少选择一条要打印的记录。</translation>
    </message>
    <message>
        <source>At most {max} records can be printed at once; {count} are selected.</source>
        <translation>一次最多打印 {max} 条记录；当前选择了 {count} 条。</translation>
    </message>
    <message>
        <source>The printing was cancelled.</source>
        <translation>打印已取消。</translation>
    </message>
    <message>
        <source>{failed} of {rows} rows have problems; nothing was imported. Correct the file, or import the valid rows only.</source>
        <translation>{rows} 行中有 {failed} 行有问题；未导入任何内容。请更正文件，或只导入有效的行。</translation>
    </message>
    <message>
        <source>The file “{path}” does not exist.</source>
        <extracomment>Merged ranges below the heading row (&quot;A5:A7&quot;). (row, column) → formula text of formula cells that have no saved result.</extracomment>
        <translation>文件“{path}”不存在。</translation>
    </message>
    <message>
        <source>The file “{path}” is empty.</source>
        <translation>文件“{path}”为空。</translation>
    </message>
    <message>
        <source>“{path}” is an old Excel 97–2003 (.xls) file. Open it in Excel or LibreOffice, save it as an Excel workbook (.xlsx) and import that.</source>
        <translation>“{path}”是旧的 Excel 97–2003（.xls）文件。请用 Excel 或 LibreOffice 打开，另存为 Excel 工作簿（.xlsx）后再导入。</translation>
    </message>
    <message>
        <source>“{path}” is not an Excel workbook (.xlsx); it may be a text or CSV file with another name. Save it from Excel as .xlsx and import that.</source>
        <translation>“{path}”不是 Excel 工作簿（.xlsx）；它可能是改了名的文本或 CSV 文件。请在 Excel 中另存为 .xlsx 后再导入。</translation>
    </message>
    <message>
        <source>“{path}” cannot be read as an Excel workbook (.xlsx): {reason}</source>
        <translation>无法将“{path}”作为 Excel 工作簿（.xlsx）读取：{reason}</translation>
    </message>
    <message>
        <source>“{path}” has no worksheet to import.</source>
        <translation>“{path}”中没有可导入的工作表。</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>导入已取消。</translation>
    </message>
    <message>
        <source>“{path}” has no rows to import.</source>
        <translation>“{path}”中没有可导入的行。</translation>
    </message>
    <message>
        <source>“{path}” has headings in row {row} but no data rows below them.</source>
        <translation>“{path}”第 {row} 行有标题，但下面没有数据行。</translation>
    </message>
    <message>
        <source>The headings of “{path}” are in merged cells ({cells}). Unmerge them and give every column one heading in a single row, then import again.</source>
        <translation>“{path}”的标题在合并单元格中（{cells}）。请取消合并，使每列在同一行中有一个标题，然后重新导入。</translation>
    </message>
    <message>
        <source>The heading “{heading}” appears twice in “{path}” (columns {first} and {second}); rename one of them.</source>
        <translation>标题“{heading}”在“{path}”中出现两次（第 {first} 列和第 {second} 列）；请重命名其中一个。</translation>
    </message>
    <message>
        <source>“{value}” is not a date.</source>
        <translation>“{value}”不是日期。</translation>
    </message>
    <message>
        <source>“{value}” is not a date; write it like 2026-11-23, 2026/11/23 or 23.11.2026.</source>
        <translation>“{value}”不是日期；请写成 2026-11-23、2026/11/23 或 23.11.2026。</translation>
    </message>
    <message>
        <source>“{value}” is not a whole number.</source>
        <translation>“{value}”不是整数。</translation>
    </message>
    <message>
        <source>“{value}” is not yes or no.</source>
        <translation>“{value}”不是“是”或“否”。</translation>
    </message>
    <message>
        <source>“{value}” is not one of: {choices}.</source>
        <translation>“{value}”不在以下选项中：{choices}。</translation>
    </message>
    <message>
        <source>There is no customer with the code “{value}”; add the customer or import the customer list first.</source>
        <translation>没有代码为“{value}”的顾客；请先添加该顾客或导入顾客清单。</translation>
    </message>
    <message>
        <source>There is no customer named “{value}”; add the customer or import the customer list first.</source>
        <translation>没有名为“{value}”的顾客；请先添加该顾客或导入顾客清单。</translation>
    </message>
    <message>
        <source>Several customers are named “{value}”; give the customer code.</source>
        <translation>有多个顾客名为“{value}”；请给出顾客代码。</translation>
    </message>
    <message>
        <source>There is no product with the part number “{value}”; import the products first.</source>
        <translation>没有零件号为“{value}”的产品；请先导入产品。</translation>
    </message>
    <message>
        <source>There is no single user “{value}”; give the user name or full name.</source>
        <translation>无法唯一确定用户“{value}”；请给出用户名或姓名。</translation>
    </message>
    <message>
        <source>An import of {kind} has no field “{value}”.</source>
        <extracomment>How far in the future a receipt time may lie (PC clocks, time zones). Import kind → (model, the change-event kind, the record-number prefix or &quot;&quot;).</extracomment>
        <translation>导入{kind}时没有字段“{value}”。</translation>
    </message>
    <message>
        <source>The file has no column headed “{value}”.</source>
        <translation>文件中没有标题为“{value}”的列。</translation>
    </message>
    <message>
        <source>No column is chosen for “{value}”, which every row needs. Choose the column in the mapping (headings found: {headings}).</source>
        <translation>没有为每行都必需的“{value}”选择列。请在对应关系中选择该列（找到的标题：{headings}）。</translation>
    </message>
    <message>
        <source>Merged cells {cells}: every row needs its own values; unmerge the cells.</source>
        <translation>合并单元格 {cells}：每行都需要自己的值；请取消合并单元格。</translation>
    </message>
    <message>
        <source>The cell holds a formula without a saved result. Open the file in Excel or LibreOffice, save it, and import again (or type the value).</source>
        <translation>该单元格包含没有保存结果的公式。请用 Excel 或 LibreOffice 打开并保存文件后重新导入（或直接输入数值）。</translation>
    </message>
    <message>
        <source>{field} “{value}” must look like {prefix}-2026-0042.</source>
        <translation>{field}“{value}”的格式应为 {prefix}-2026-0042。</translation>
    </message>
    <message>
        <source>There is no defect category “{value}” (by code or label); add it to the defect-category list under Administration first.</source>
        <translation>没有代码或名称为“{value}”的缺陷类别；请先在“系统管理”的缺陷类别清单中添加。</translation>
    </message>
    <message>
        <source>A closed complaint needs the date it was closed.</source>
        <translation>已结案的顾客抱怨需要结案日期。</translation>
    </message>
    <message>
        <source>The complaint has a closing date but its status is not closed.</source>
        <translation>该顾客抱怨有结案日期，但状态不是已结案。</translation>
    </message>
    <message>
        <source>“{value}” appears again in this file (first in row {first}).</source>
        <translation>“{value}”在此文件中重复出现（首次在第 {first} 行）。</translation>
    </message>
    <message>
        <source>Records with the same numbers were added meanwhile (rows {first}–{last}); nothing was imported. Check the file again.</source>
        <translation>在此期间已添加了相同编号的记录（第 {first}–{last} 行）；未导入任何内容。请重新检查文件。</translation>
    </message>
    <message>
        <source>Cannot import “{value}”; choose one of {kinds}.</source>
        <extracomment>Who may import what (administrators always): the departments that create such records.</extracomment>
        <translation>无法导入“{value}”；请从 {kinds} 中选择。</translation>
    </message>
    <message>
        <source>The file “{path}” could not be written ({reason}). If it is open in another program, close it there and export again.</source>
        <translation>无法写入文件“{path}”（{reason}）。如果该文件在其他程序中打开，请先关闭后重新导出。</translation>
    </message>
    <message>
        <source>There is no customer “{value}”: choose one from the suggestions or leave the box empty for all customers.</source>
        <translation>没有顾客“{value}”：请从建议中选择，或留空表示全部顾客。</translation>
    </message>
    <message>
        <source>The settings file for this PC “{path}” cannot be read ({error}). Ask your IT to correct it, or choose the database with --db.</source>
        <translation>无法读取本机的设置文件“{path}”（{error}）。请联系 IT 人员更正，或用 --db 指定数据库。</translation>
    </message>
    <message>
        <source>The database preset for this PC in “{path}” is not usable: {error} Ask your IT to correct it, or choose the database with --db.</source>
        <translation>“{path}”中为本机预设的数据库不可用：{error} 请联系 IT 人员更正，或用 --db 指定数据库。</translation>
    </message>
    <message>
        <source>The save did not complete because the database connection changed.</source>
        <extracomment>A save whose answer never came back (the database was switched while it waited).</extracomment>
        <translation type="vanished">由于数据库连接已更改，保存未完成。</translation>
    </message>
    <message>
        <source>{field}: this is one of the most common passwords and is guessed first. Choose another one.</source>
        <translation>{field}：这是最常见的密码之一，最先被猜中。请另选一个。</translation>
    </message>
    <message>
        <source>{field} must not contain the user name or the person&apos;s name.</source>
        <translation>{field}不得包含用户名或本人姓名。</translation>
    </message>
    <message>
        <source>Cannot read the key file {path}: {reason}</source>
        <translation>无法读取密钥文件 {path}：{reason}</translation>
    </message>
    <message>
        <source>“{value}” is not an e-mail address.</source>
        <translation>“{value}”不是电子邮件地址。</translation>
    </message>
    <message>
        <source>Give the SMTP server&apos;s host name or address.</source>
        <translation>请填写 SMTP 服务器的主机名或地址。</translation>
    </message>
    <message>
        <source>The SMTP port must be a number from 1 to 65535.</source>
        <translation>SMTP 端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <source>The connection security must be one of {modes}, not “{value}”.</source>
        <translation>连接加密方式必须是 {modes} 之一，而不是“{value}”。</translation>
    </message>
    <message>
        <source>{field} is too long or has a line break (at most {max} characters).</source>
        <translation>{field}太长或含有换行（最多 {max} 个字符）。</translation>
    </message>
    <message>
        <source>The mail server time-out must be 1 to 600 seconds.</source>
        <translation>邮件服务器超时时间必须为 1 到 600 秒。</translation>
    </message>
    <message>
        <source>Escalate after: give a whole number of hours (0 or more).</source>
        <translation>升级时限：请填写整数小时数（0 或以上）。</translation>
    </message>
    <message>
        <source>Messages can be written in {languages}, not “{value}”.</source>
        <extracomment>Languages a message can be written in (the forms&apos; languages). Message kinds with editable templates. The placeholders each kind offers (shown on the administration page). What a &quot;My work&quot; line is called in a digest, per language. Section headings of a digest: (overdue, due soon, other), per language. &quot;due&quot; before a day in a digest line, per language.</extracomment>
        <translation>邮件语言可以是 {languages}，而不是“{value}”。</translation>
    </message>
    <message>
        <source>The message texts are not in the expected form.</source>
        <translation>邮件文本的格式不正确。</translation>
    </message>
    <message>
        <source>There is no message kind “{value}”.</source>
        <translation>没有“{value}”这种邮件类型。</translation>
    </message>
    <message>
        <source>A subject must be one line.</source>
        <translation>邮件主题只能是一行。</translation>
    </message>
    <message>
        <source>There is no user “{username}”.</source>
        <translation>没有用户“{username}”。</translation>
    </message>
    <message>
        <source>There is no record numbered “{number}”.</source>
        <translation>没有编号为“{number}”的记录。</translation>
    </message>
    <message>
        <source>The customer {customer} has no e-mail address; add one to the customer or give the recipients.</source>
        <translation>顾客 {customer} 没有电子邮件地址；请在顾客资料中添加，或填写收件人。</translation>
    </message>
    <message>
        <source>The attachment {id} does not belong to {number}; choose again.</source>
        <extracomment>A message larger than this (the form and the chosen attachments) is refused: many mail servers take no more than 20–25 MB, and base64 makes attachments a third larger.</extracomment>
        <translation>附件 {id} 不属于 {number}，请重新选择。</translation>
    </message>
    <message>
        <source>The form and the chosen attachments come to {size} MB; a message may carry at most {max} MB. Choose fewer attachments.</source>
        <translation>表单和所选附件共 {size} MB；一封邮件最多可携带 {max} MB。请少选一些附件。</translation>
    </message>
    <message>
        <source>This computer has no credential store for the SMTP password ({reason}). Set the environment variable CQMS_SMTP_PASSWORD for the program and for the scheduled reminder task instead; the password is never stored in the database.</source>
        <extracomment>The environment variable read where no credential store exists (and before the store).</extracomment>
        <translation>本电脑没有可保存 SMTP 密码的凭据存储（{reason}）。请为程序和定时提醒任务设置环境变量 CQMS_SMTP_PASSWORD；密码绝不会保存在数据库中。</translation>
    </message>
    <message>
        <source>The mail server {host} does not offer STARTTLS; choose SSL or plain in the mail settings.</source>
        <translation>邮件服务器 {host} 不支持 STARTTLS；请在邮件设置中选择 SSL 或不加密。</translation>
    </message>
    <message>
        <source>No SMTP password for {user}: set it in Administration → Mail (or “cqms mail set”), or set CQMS_SMTP_PASSWORD where there is no credential store.</source>
        <translation>没有 {user} 的 SMTP 密码：请在“管理 → 邮件”中设置（或用“cqms mail set”），没有凭据存储的电脑请设置 CQMS_SMTP_PASSWORD。</translation>
    </message>
    <message>
        <source>The mail server {host} does not accept a log-in.</source>
        <translation>邮件服务器 {host} 不接受登录。</translation>
    </message>
    <message>
        <source>The SMTP password or user name has non-English characters, which the mail server {host} cannot take (it does not offer AUTH PLAIN).</source>
        <translation>SMTP 密码或用户名含有非英文字符，邮件服务器 {host} 无法接受（它不支持 AUTH PLAIN）。</translation>
    </message>
    <message>
        <source>E-mail is not set up: give the SMTP server and the sender address in Administration → Mail (or “cqms mail set”).</source>
        <translation>尚未设置电子邮件：请在“管理 → 邮件”中填写 SMTP 服务器和发件人地址（或用“cqms mail set”）。</translation>
    </message>
    <message>
        <source>The message has no recipient.</source>
        <translation>邮件没有收件人。</translation>
    </message>
    <message>
        <source>The mail server refused the user name or password ({reply}).</source>
        <translation>邮件服务器拒绝了用户名或密码（{reply}）。</translation>
    </message>
    <message>
        <source>The mail server refused the recipient(s), nothing was sent: {refused}</source>
        <translation>邮件服务器拒绝了收件人，邮件未发送给任何人：{refused}</translation>
    </message>
    <message>
        <source>The mail server refused the sender {sender} ({reply}).</source>
        <translation>邮件服务器拒绝了发件人 {sender}（{reply}）。</translation>
    </message>
    <message>
        <source>The mail server {host} does not support this: {reason}</source>
        <translation>邮件服务器 {host} 不支持此操作：{reason}</translation>
    </message>
    <message>
        <source>The mail server {host}:{port} did not answer within {seconds} s.</source>
        <translation>邮件服务器 {host}:{port} 在 {seconds} 秒内没有响应。</translation>
    </message>
    <message>
        <source>The mail server {host}:{port} closed the connection before the message was accepted ({reason}).</source>
        <translation>邮件服务器 {host}:{port} 在接受邮件之前断开了连接（{reason}）。</translation>
    </message>
    <message>
        <source>The mail server refused the message ({reply}).</source>
        <translation>邮件服务器拒绝了该邮件（{reply}）。</translation>
    </message>
    <message>
        <source>The mail server {host}:{port} refused the connection (is the host and port right, is the server running?).</source>
        <translation>邮件服务器 {host}:{port} 拒绝连接（主机和端口是否正确？服务器是否在运行？）。</translation>
    </message>
    <message>
        <source>The mail server {host} was not found ({reason}).</source>
        <translation>找不到邮件服务器 {host}（{reason}）。</translation>
    </message>
    <message>
        <source>No secure connection to the mail server {host}:{port}: {reason}</source>
        <translation>无法与邮件服务器 {host}:{port} 建立安全连接：{reason}</translation>
    </message>
    <message>
        <source>The connection to the mail server {host}:{port} failed: {reason}</source>
        <translation>与邮件服务器 {host}:{port} 的连接失败：{reason}</translation>
    </message>
    <message>
        <source>{field}: “{value}” is not in the defect-category list; choose one of the list (Administration maintains it).</source>
        <translation>{field}：“{value}”不在缺陷类别清单中；请从清单中选择（由系统管理维护）。</translation>
    </message>
    <message>
        <source>{field} “{value}” already names the defect category “{other}” (capitals and accents do not count).</source>
        <translation>{field}“{value}”已是缺陷类别“{other}”的代码或名称（不区分大小写和重音）。</translation>
    </message>
    <message>
        <source>{field}: complaints use the code “{code}”; change its labels instead.</source>
        <translation>{field}：已有顾客抱怨使用代码“{code}”；请改为修改其名称。</translation>
    </message>
    <message>
        <source>Complaints use the defect category “{code}”; deactivate it instead.</source>
        <translation>已有顾客抱怨使用缺陷类别“{code}”；请改为停用。</translation>
    </message>
    <message>
        <source>Keep between 1 and {most} backups.</source>
        <extracomment>The most backups a folder keeps (a number beyond it is surely a typing slip). A run claimed this long ago and never finished (its PC crashed or was switched off) is taken over by the next PC that checks.</extracomment>
        <translation>保留的备份数量应为 1 至 {most} 个。</translation>
    </message>
    <message>
        <source>Choose the folder the daily backups go to.</source>
        <extracomment>Old backups that could not be deleted (name, reason); the new backup is fine.</extracomment>
        <translation>请选择每日备份保存的文件夹。</translation>
    </message>
    <message>
        <source>The network folder “{path}” cannot be reached: is the server on and the share (or mapped drive) connected for this user?</source>
        <translation>无法访问网络文件夹“{path}”：服务器是否已开机，共享文件夹（或映射的驱动器）是否已为此用户连接？</translation>
    </message>
    <message>
        <source>The backup folder “{path}” does not exist or cannot be reached.</source>
        <translation>备份文件夹“{path}”不存在或无法访问。</translation>
    </message>
    <message>
        <source>The backup written to “{path}” did not verify ({reason}); it was removed and no older backup was deleted.</source>
        <translation>写入“{path}”的备份未通过校验（{reason}）；该文件已删除，较旧的备份均未删除。</translation>
    </message>
    <message>
        <source>The review figure “{code}” is not a number.</source>
        <extracomment>A figure of the Summary sheet: a count, a rate or average, or nothing (no data).</extracomment>
        <translation>评审数据“{code}”不是数字。</translation>
    </message>
    <message>
        <source>The review of {period} can be signed off once the period has ended.</source>
        <translation>{period} 的评审须在该期间结束后才能签署。</translation>
    </message>
    <message>
        <source>There is no workbook to sign off.</source>
        <translation>没有可签署的工作簿。</translation>
    </message>
    <message>
        <source>The review of {period} was already signed off by {user} on {day}.</source>
        <translation>{period} 的评审已由 {user} 于 {day} 签署。</translation>
    </message>
    <message>
        <source>The kept workbook of the {period} review has been altered since it was signed.</source>
        <translation>{period} 评审所保存的工作簿在签署后已被改动。</translation>
    </message>
    <message>
        <source>The change did not complete because the database connection changed.</source>
        <extracomment>A call whose answer never came back (the database was switched while it waited).</extracomment>
        <translation>由于数据库连接已更改，此项更改未完成。</translation>
    </message>
    <message>
        <source>{field}: “{name}” contains hidden characters that disguise the file&apos;s type; rename the file before attaching it.</source>
        <extracomment>Invisible characters that reorder or hide what a file name shows (bidi controls).</extracomment>
        <translation>{field}：“{name}”含有掩盖文件类型的隐藏字符，请先重命名该文件再添加。</translation>
    </message>
    <message>
        <source>{field}: “{name}” is a program or shortcut (.{ext}) that would run when opened; such files cannot be attached. Send it as a ZIP archive or a PDF.</source>
        <translation>{field}：“{name}”是打开时会运行的程序或快捷方式（.{ext}），不能作为附件。请以 ZIP 压缩包或 PDF 形式提供。</translation>
    </message>
    <message>
        <source>The connection to the database server was lost ({reason}). Nothing of this change was saved; the program connects again on the next try.</source>
        <extracomment>The timeouts new connections get (tests shorten them before opening a database). The PostgreSQL channel every write transaction notifies (live refresh on other PCs).</extracomment>
        <translation>与数据库服务器的连接已中断（{reason}）。此次更改未保存任何内容；下次操作时程序会重新连接。</translation>
    </message>
    <message>
        <source>The connection to the database server was lost ({reason}). The program connects again on the next try.</source>
        <translation>与数据库服务器的连接已中断（{reason}）。下次操作时程序会重新连接。</translation>
    </message>
    <message>
        <source>The connection to the database server was lost while the change was being saved; it may or may not have been saved ({reason}).</source>
        <translation>保存更改的过程中与数据库服务器的连接中断；更改可能已保存，也可能未保存（{reason}）。</translation>
    </message>
    <message>
        <source>The attachment “{name}” was removed from the record after the message was prepared; prepare the message again.</source>
        <extracomment>A form message not sent and then sent anew (from the preview, edited): not retried. How long a row may stay ``sending`` before it counts as &quot;outcome unknown&quot; (a crash), not as a send still under way on another PC: longer than any SMTP time-out. 5.2.5 &quot;how the copy was sent&quot;, as the complaint form records it.</extracomment>
        <translation>邮件准备好后，附件“{name}”已从记录中删除；请重新准备邮件。</translation>
    </message>
    <message>
        <source>{field}: the requests go to QA, the Technical Section, Manufacturing and Administration (5.1.1); say why they do not go to {departments}.</source>
        <extracomment>5.1.1: a visit&apos;s requests go to these four departments. Longest reason for leaving departments out.</extracomment>
        <translation>{field}：顾客要求应分发给质保部、技术科、制造部和行政部（5.1.1）；请说明为何不分发给{departments}。</translation>
    </message>
    <message>
        <source>A SCAR is raised only when the complaint&apos;s responsibility is “Supplier” (5.2.3 c); set the responsibility first.</source>
        <extracomment>The request&apos;s own fields QA fills in and may correct while the supplier has not replied. States in which the request still waits on someone (lists&apos; &quot;open only&quot;, My work).</extracomment>
        <translation>只有当抱怨的责任归属为“供应商”时才能发出 SCAR（5.2.3 c）；请先设置责任归属。</translation>
    </message>
    <message>
        <source>The complaint is closed: no SCAR can be raised from it.</source>
        <translation>该抱怨已结案，不能再发出 SCAR。</translation>
    </message>
    <message>
        <source>{field} cannot be before the day the SCAR was raised.</source>
        <translation>{field}不能早于 SCAR 发出日期。</translation>
    </message>
    <message>
        <source>The request cannot be changed once the supplier replied (it is “{status}”).</source>
        <translation>供应商回复后不能再修改要求（当前为“{status}”）。</translation>
    </message>
    <message>
        <source>A supplier reply is recorded only while one is awaited (the SCAR is “{status}”).</source>
        <translation>只有在等待供应商回复时才能登记回复（SCAR 当前为“{status}”）。</translation>
    </message>
    <message>
        <source>Only a recorded supplier reply can be verified (the SCAR is “{status}”).</source>
        <translation>只能验证已登记的供应商回复（SCAR 当前为“{status}”）。</translation>
    </message>
    <message>
        <source>A SCAR is closed only after its reply was verified effective (it is “{status}”).</source>
        <translation>SCAR 只有在回复经验证有效后才能结案（当前为“{status}”）。</translation>
    </message>
    <message>
        <source>{field}: whoever recorded the supplier&apos;s reply cannot verify it; ask another QA user.</source>
        <translation>{field}：登记供应商回复的人不能验证该回复；请由另一位质保人员验证。</translation>
    </message>
    <message>
        <source>There is no SCAR numbered “{number}”.</source>
        <extracomment>The form&apos;s language: the supplier&apos;s (``forms`` reads the attribute by this name).</extracomment>
        <translation>没有编号为“{number}”的 SCAR。</translation>
    </message>
    <message>
        <source>{field}: choose an active supplier of the list.</source>
        <translation>{field}：请从列表中选择一个启用的供应商。</translation>
    </message>
    <message>
        <source>Corrective action requests name the supplier “{code}”; deactivate it instead.</source>
        <translation>已有纠正措施要求单引用供应商“{code}”；请改为停用。</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <extracomment>QSettings key of the folder the last export went to (offered again next time). How long the status bar shows the result of an export.</extracomment>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>导出失败。</translation>
    </message>
    <message>
        <source>The export was cancelled; no file was written.</source>
        <translation>导出已取消；未写入文件。</translation>
    </message>
    <message>
        <source>Export the list to Excel</source>
        <translation>将列表导出到 Excel</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>正在写入 {name}…</translation>
    </message>
    <message>
        <source>{n} row(s) exported to {name}.</source>
        <translation>已将 {n} 行导出到 {name}。</translation>
    </message>
    <message>
        <source>Save the management review workbook</source>
        <translation>保存管理评审工作簿</translation>
    </message>
    <message>
        <source>Management review workbook</source>
        <translation>管理评审工作簿</translation>
    </message>
    <message>
        <source>Computing the figures and writing {name}…</source>
        <translation>正在计算数据并写入 {name}…</translation>
    </message>
    <message>
        <source>The management review workbook for {period} was written to {name}.</source>
        <translation>{period} 的管理评审工作簿已写入 {name}。</translation>
    </message>
    <message>
        <source>The management review for {period} was signed off and written to {name}.</source>
        <translation>{period} 的管理评审已签署，并已写入 {name}。</translation>
    </message>
    <message>
        <source>Today&apos;s figures for {period} were written to {name}; the review {user} signed off on {day} is kept unchanged.</source>
        <translation>{period} 的当前数据已写入 {name}；{user} 于 {day} 签署的评审保持不变。</translation>
    </message>
    <message>
        <source>The management review for {period}, signed off by {user} on {day}, was re-printed as signed to {name}.</source>
        <translation>{period} 的管理评审已由 {user} 于 {day} 签署，现按签署时的原样重新输出到 {name}。</translation>
    </message>
    <message>
        <source>{count} figures differ today (signed → today):</source>
        <translation>有 {count} 项数据与今天不同（签署时 → 今天）：</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Lot / batch</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Received via</source>
        <translation>接收方式</translation>
    </message>
    <message>
        <source>Customer&apos;s request</source>
        <translation>顾客要求</translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation>缺陷类别</translation>
    </message>
    <message>
        <source>QA owner</source>
        <translation>质保负责人</translation>
    </message>
    <message>
        <source>Investigation and analysis</source>
        <translation>调查分析</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>小组</translation>
    </message>
    <message>
        <source>On-site investigation by</source>
        <translation>现场调查人</translation>
    </message>
    <message>
        <source>On-site investigation date</source>
        <translation>现场调查日期</translation>
    </message>
    <message>
        <source>On-site findings</source>
        <translation>现场调查结果</translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation>责任归属</translation>
    </message>
    <message>
        <source>Written explanation to the customer</source>
        <translation>给顾客的书面说明</translation>
    </message>
    <message>
        <source>Preliminary improvement plan</source>
        <translation>初步改善方案</translation>
    </message>
    <message>
        <source>Plan fed back to Sales</source>
        <translation>方案已反馈业务部</translation>
    </message>
    <message>
        <source>On-site dispatch: who</source>
        <translation>派员现场处理：人员</translation>
    </message>
    <message>
        <source>On-site dispatch: date</source>
        <translation>派员现场处理：日期</translation>
    </message>
    <message>
        <source>On-site dispatch: what was done</source>
        <translation>派员现场处理：处理内容</translation>
    </message>
    <message>
        <source>Finished goods checked</source>
        <translation>成品检查数</translation>
    </message>
    <message>
        <source>Finished goods held</source>
        <translation>成品隔离数</translation>
    </message>
    <message>
        <source>Finished goods nonconforming</source>
        <translation>成品不合格数</translation>
    </message>
    <message>
        <source>Work in progress checked</source>
        <translation>在制品检查数</translation>
    </message>
    <message>
        <source>Work in progress held</source>
        <translation>在制品隔离数</translation>
    </message>
    <message>
        <source>Work in progress nonconforming</source>
        <translation>在制品不合格数</translation>
    </message>
    <message>
        <source>Nonconforming-product report (QP1301)</source>
        <translation>不合格品报告（QP1301）</translation>
    </message>
    <message>
        <source>Oral notice: when</source>
        <translation>口头告知顾客：时间</translation>
    </message>
    <message>
        <source>Oral notice: by</source>
        <translation>口头告知顾客：告知人</translation>
    </message>
    <message>
        <source>Oral notice: to whom</source>
        <translation>口头告知顾客：对象</translation>
    </message>
    <message>
        <source>Copy sent: when</source>
        <translation>复印件送顾客：时间</translation>
    </message>
    <message>
        <source>Copy sent: how</source>
        <translation>复印件送顾客：方式</translation>
    </message>
    <message>
        <source>Copy sent: to whom</source>
        <translation>复印件送顾客：对象</translation>
    </message>
    <message>
        <source>Accepted by the customer</source>
        <translation>顾客接受</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Closure</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Reason for reopening</source>
        <translation>重新打开的原因</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>赔偿</translation>
    </message>
    <message>
        <source>Freight</source>
        <translation>运费</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Replacement</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>Long-term countermeasures</source>
        <translation>长久对策</translation>
    </message>
    <message>
        <source>Type of countermeasure</source>
        <translation>对策类型</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>实施内容</translation>
    </message>
    <message>
        <source>Carried out on</source>
        <translation>实施日期</translation>
    </message>
    <message>
        <source>Verification result</source>
        <translation>验证结果</translation>
    </message>
    <message>
        <source>Verified on</source>
        <translation>验证日期</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>验证人</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Customer Quality Feedback</source>
        <translation>顾客质量反馈</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Handling deadline</source>
        <translation>处理期限</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>处理完成</translation>
    </message>
    <message>
        <source>Repeat complaint of</source>
        <translation>重复抱怨自</translation>
    </message>
    <message>
        <source>Carried out by</source>
        <translation>实施人</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Recorded at</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Form language</source>
        <translation>表单语言</translation>
    </message>
    <message>
        <source>Responsible Sales person</source>
        <translation>负责业务员</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>零件号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>公司名称</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库 URL</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Date received</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>急件/普通件</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Quantity affected</source>
        <translation>涉及数量</translation>
    </message>
    <message>
        <source>Quantity delivered</source>
        <translation>交货数量</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>访问日期</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>顾客访问</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电/来信人</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>访问人</translation>
    </message>
    <message>
        <source>Date sent</source>
        <translation>发出日期</translation>
    </message>
    <message>
        <source>Date returned</source>
        <translation>收回日期</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>填表人</translation>
    </message>
    <message>
        <source>Quality score</source>
        <translation>质量得分</translation>
    </message>
    <message>
        <source>Service score</source>
        <translation>服务得分</translation>
    </message>
    <message>
        <source>Price score</source>
        <translation>价格得分</translation>
    </message>
    <message>
        <source>Delivery score</source>
        <translation>供货状况得分</translation>
    </message>
    <message>
        <source>Kind of service</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Service date</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Date agreed with the customer</source>
        <translation>与顾客约定的日期</translation>
    </message>
    <message>
        <source>Performed by</source>
        <translation>执行人</translation>
    </message>
    <message>
        <source>Delivery note</source>
        <translation>送货单</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>急件</translation>
    </message>
    <message>
        <source>Customer&apos;s people met</source>
        <translation>会见的顾客人员</translation>
    </message>
    <message>
        <source>What was discussed</source>
        <translation>洽谈内容</translation>
    </message>
    <message>
        <source>Customer requests</source>
        <translation>顾客要求</translation>
    </message>
    <message>
        <source>Follow-up items</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <source>Why a department is left out</source>
        <translation>未分发部门的原因</translation>
    </message>
    <message>
        <source>Registered by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细内容</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>签收人</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>Sent by</source>
        <translation>发出人</translation>
    </message>
    <message>
        <source>Kind of record</source>
        <translation>记录类别</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind of day</source>
        <translation>日期类型</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>零件</translation>
    </message>
    <message>
        <source>Defect</source>
        <translation>缺陷</translation>
    </message>
    <message>
        <source>Containment asked of the supplier</source>
        <translation>要求供应商采取的围堵措施</translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation>回复期限</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation>纠正措施</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Reply recorded</source>
        <translation>回复登记</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search (Ctrl+F)…</source>
        <translation>搜索 (Ctrl+F)…</translation>
    </message>
    <message>
        <source>From</source>
        <translation type="vanished">从</translation>
    </message>
    <message>
        <source>To</source>
        <translation type="vanished">至</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>急件与普通件</translation>
    </message>
    <message>
        <source>Reply overdue</source>
        <translation>回复逾期</translation>
    </message>
    <message>
        <source>Filters:</source>
        <translation>筛选条件：</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>Show the whole list again</source>
        <translation>重新显示完整列表</translation>
    </message>
    <message>
        <source>Text: “{text}”</source>
        <translation>文字：“{text}”</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>状态：{status}</translation>
    </message>
    <message>
        <source>Customer: {customer}</source>
        <translation>顾客：{customer}</translation>
    </message>
    <message>
        <source>From {date}</source>
        <translation>自 {date}</translation>
    </message>
    <message>
        <source>To {date}</source>
        <translation>至 {date}</translation>
    </message>
    <message>
        <source>Severity: {severity}</source>
        <translation>严重程度：{severity}</translation>
    </message>
    <message>
        <source>Remove this filter</source>
        <translation type="vanished">取消此筛选</translation>
    </message>
    <message>
        <source>Any</source>
        <translation type="vanished">不限</translation>
    </message>
    <message>
        <source>Special filter</source>
        <translation>特殊筛选</translation>
    </message>
</context>
<context>
    <name>FilterChip</name>
    <message>
        <source>Remove this filter</source>
        <translation>移除此筛选条件</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Demonstration data loaded: {records} records in the registers.</source>
        <translation>演示数据已载入：各登记表共 {records} 条记录。</translation>
    </message>
    <message>
        <source>Demonstration users (one per department): {names}.

Password for all of them: {password}</source>
        <translation>演示用户（每个部门一个）：{names}。

所有演示用户的密码：{password}</translation>
    </message>
    <message>
        <source>Demonstration data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Loading demonstration data: customers, users and records…</source>
        <translation>正在载入演示数据：顾客、用户和各类记录…</translation>
    </message>
    <message>
        <source>Loading the demonstration data was cancelled; nothing was saved.</source>
        <translation>已取消载入演示数据；未保存任何内容。</translation>
    </message>
    <message>
        <source>Loading the demonstration data was cancelled.</source>
        <translation type="vanished">已取消载入演示数据。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>CQMS Desktop — First start</source>
        <translation>CQMS Desktop — 首次启动</translation>
    </message>
    <message>
        <source>Welcome to CQMS Desktop</source>
        <translation>欢迎使用 CQMS Desktop</translation>
    </message>
    <message>
        <source>This database is new. Enter your company&apos;s name and create the first administrator account. The administrator then adds the other users, the customers and the products.</source>
        <translation>这是一个新数据库。请输入公司名称并创建第一个管理员账户。之后由管理员添加其他用户、顾客和产品。</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation>公司名称(&amp;C)：</translation>
    </message>
    <message>
        <source>Administrator&apos;s &amp;user name:</source>
        <translation>管理员用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Password &amp;again:</source>
        <translation>再次输入密码(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Load demonstration data (customers, users and records in every tab)</source>
        <translation>载入演示数据(&amp;L)（各标签页中的顾客、用户和记录）</translation>
    </message>
    <message>
        <source>Recommended for trying the program out; leave it unticked for the database your company will really use.</source>
        <translation>建议在试用本程序时勾选；公司正式使用的数据库请不要勾选。</translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation>创建并登录</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>GeneratedText</name>
    <message>
        <source>Survey {number} ({quarter}) is below the satisfaction target {target}: {low}.</source>
        <extracomment>The program&apos;s two sentences (translated in context ``GeneratedText``).</extracomment>
        <translation>满意度调查 {number}（{quarter}）低于满意度目标 {target}：{low}。</translation>
    </message>
    <message>
        <source>Overall {overall}; {scores}.</source>
        <translation>综合得分 {overall}；{scores}。</translation>
    </message>
    <message>
        <source>quality</source>
        <extracomment>Item names in the program (context ``GeneratedText``).</extracomment>
        <translation>质量</translation>
    </message>
    <message>
        <source>service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>delivery</source>
        <translation>供货状况</translation>
    </message>
    <message>
        <source>overall score</source>
        <translation>综合得分</translation>
    </message>
</context>
<context>
    <name>HandOver</name>
    <message>
        <source>Send {number} to QA as a complaint</source>
        <extracomment>Emitted with the complaint once it is registered.</extracomment>
        <translation>将 {number} 作为顾客抱怨转交质保部</translation>
    </message>
    <message>
        <source>Register complaint and send to QA</source>
        <translation>登记顾客抱怨并转交质保部</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Complaint</source>
        <extracomment>Table names as users know them (context ``History``).</extracomment>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Long-term countermeasure</source>
        <translation>长久对策</translation>
    </message>
    <message>
        <source>Customer&apos;s answer</source>
        <translation>顾客答复</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>质量反馈</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>顾客访问</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Service record</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>recorded as found</source>
        <translation>按现状记录</translation>
    </message>
    <message>
        <source>When</source>
        <extracomment>(table, field) → the enumeration its codes come from; ``(None, field)`` for any table.</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>{rows} rows: {failed} with problems, {new} new, {existing} already in the database.</source>
        <translation>{rows} 行：{failed} 行有问题，{new} 行为新记录，{existing} 行已在数据库中。</translation>
    </message>
    <message>
        <source>{imported} imported.</source>
        <translation>已导入 {imported} 行。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import from Excel</source>
        <extracomment>The validation report shows at most this many problems (the summary counts them all).</extracomment>
        <translation>从 Excel 导入</translation>
    </message>
    <message>
        <source>Import:</source>
        <translation>导入：</translation>
    </message>
    <message>
        <source>Choose an Excel workbook (.xlsx)…</source>
        <translation>选择 Excel 工作簿（.xlsx）…</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Columns: which column of the file fills which field</source>
        <translation>列：文件中的哪一列填入哪个字段</translation>
    </message>
    <message>
        <source>Choose a file, check it, then import.</source>
        <translation>选择文件，检查后再导入。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Import the &amp;valid rows</source>
        <translation>导入有效的行(&amp;V)</translation>
    </message>
    <message>
        <source>Enabled when the check found no problem</source>
        <translation>检查未发现问题时可用</translation>
    </message>
    <message>
        <source>Import the rows without problems; the rows listed above are left out</source>
        <translation>导入没有问题的行；上面列出的行不导入</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>* needed: every row must have it (a customer by code or by name).</source>
        <translation>* 必需：每行都必须有（顾客可按代码或名称）。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Checking the file</source>
        <translation>正在检查文件</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：未导入任何内容。</translation>
    </message>
    <message>
        <source>The first {n} problems are listed.</source>
        <translation>已列出前 {n} 个问题。</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>Cancel</source>
        <extracomment>Jobs shorter than this never show the progress dialog.</extracomment>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>Kpis</name>
    <message>
        <source>(not categorised)</source>
        <translation>（未分类）</translation>
    </message>
    <message>
        <source>(not yet determined)</source>
        <translation>（尚未确定）</translation>
    </message>
    <message>
        <source>(no product)</source>
        <extracomment>Shown for complaints without a product.</extracomment>
        <translation>（无产品）</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>CQMS Desktop — Log in</source>
        <extracomment>QSettings key: the user name that last logged in on this PC.</extracomment>
        <translation>CQMS Desktop — 登录</translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation>CQMS Desktop</translation>
    </message>
    <message>
        <source>Customer Service and Complaint Handling</source>
        <translation>顾客服务及顾客抱怨处理</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Database: {name}</source>
        <translation>数据库：{name}</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Other &amp;database…</source>
        <translation>其他数据库(&amp;D)…</translation>
    </message>
    <message>
        <source>You have to choose a new password to log in.</source>
        <translation>您必须设置新密码才能登录。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>MailPage</name>
    <message>
        <source>Mail server (shared by every PC)</source>
        <translation>邮件服务器（所有电脑共用）</translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation>SMTP 服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Password (this PC only)</source>
        <translation>密码（仅本电脑）</translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation>发件人地址</translation>
    </message>
    <message>
        <source>Sender name</source>
        <translation>发件人名称</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Time-out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Reminders and escalation</source>
        <translation>提醒与升级</translation>
    </message>
    <message>
        <source>Reminders in (unless a user chose)</source>
        <translation>提醒语言（用户未选择时）</translation>
    </message>
    <message>
        <source> hours after the deadline</source>
        <translation> 小时（期限过后）</translation>
    </message>
    <message>
        <source>Escalate complaints not handled</source>
        <translation>顾客抱怨未处理时升级</translation>
    </message>
    <message>
        <source>QA&apos;s department address and the General Manager always; more here</source>
        <translation>始终通知质保部邮箱和总经理；其他收件人填在这里</translation>
    </message>
    <message>
        <source>Also tell</source>
        <translation>同时通知</translation>
    </message>
    <message>
        <source>Message texts</source>
        <translation>邮件文本</translation>
    </message>
    <message>
        <source>Save this text</source>
        <translation>保存此文本</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>send the test message to this address</source>
        <translation>将测试邮件发送到此地址</translation>
    </message>
    <message>
        <source>Send test message</source>
        <translation>发送测试邮件</translation>
    </message>
    <message>
        <source>Save mail settings</source>
        <translation>保存邮件设置</translation>
    </message>
    <message>
        <source>This PC has no credential store ({reason}): set CQMS_SMTP_PASSWORD for the program and the reminder task instead.</source>
        <translation>本电脑没有凭据存储（{reason}）：请为程序和提醒任务设置 CQMS_SMTP_PASSWORD。</translation>
    </message>
    <message>
        <source>Mail settings saved.</source>
        <translation>邮件设置已保存。</translation>
    </message>
    <message>
        <source>The password was not stored: {reason}</source>
        <translation>密码未保存：{reason}</translation>
    </message>
    <message>
        <source>Placeholders: {names}</source>
        <translation>占位符：{names}</translation>
    </message>
    <message>
        <source>Message text saved.</source>
        <translation>邮件文本已保存。</translation>
    </message>
    <message>
        <source>Sending the test message…</source>
        <translation>正在发送测试邮件…</translation>
    </message>
    <message>
        <source>The test message was sent to {to}.</source>
        <translation>测试邮件已发送到 {to}。</translation>
    </message>
    <message>
        <source>The test message was not sent: {reason}</source>
        <translation>测试邮件未发送：{reason}</translation>
    </message>
</context>
<context>
    <name>MailSettings</name>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS（端口 587）</translation>
    </message>
    <message>
        <source>SSL/TLS (port 465)</source>
        <translation>SSL/TLS（端口 465）</translation>
    </message>
    <message>
        <source>No encryption (office relay only)</source>
        <translation>不加密（仅限公司内部中继）</translation>
    </message>
    <message>
        <source>Form to the customer</source>
        <translation>发给顾客的表单</translation>
    </message>
    <message>
        <source>Daily reminder</source>
        <translation>每日提醒</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>升级通知</translation>
    </message>
    <message>
        <source>Test message</source>
        <translation>测试邮件</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德文</translation>
    </message>
    <message>
        <source>A password is kept in this PC&apos;s credential store.</source>
        <translation>本电脑的凭据存储中已保存密码。</translation>
    </message>
    <message>
        <source>The password comes from the CQMS_SMTP_PASSWORD environment variable.</source>
        <translation>密码来自环境变量 CQMS_SMTP_PASSWORD。</translation>
    </message>
    <message>
        <source>No password is stored on this PC.</source>
        <translation>本电脑未保存密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My work</source>
        <extracomment>Tab names, in order, as :meth:`MainWindow.select_tab` and ``--tab`` know them. The user chose File → Sign out: the program shows the log-in again instead of ending. Set by :meth:`sign_out`: the program returns to the log-in when the window closes. Save geometry and column layouts on close (off for ``--screenshot`` renders).</extracomment>
        <translation>我的待办</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>顾客访问</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>质量反馈</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Service records</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>List</source>
        <extracomment>Inner tabs beside a list: name → (outer tab, inner tab widget, the page). The page is an empty stand-in until first shown (see :meth:`_build_side_page`).</extracomment>
        <translation>列表</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Visit plan</source>
        <extracomment>Changes reach the window while it is shown; a closed window hears of none.</extracomment>
        <translation>访问计划</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Supplier corrective actions (SCAR)</source>
        <translation>供应商纠正措施（SCAR）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>从 Excel 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Sign &amp;out / switch user</source>
        <translation>注销 / 切换用户(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About CQMS Desktop</source>
        <translation>关于 CQMS Desktop(&amp;A)</translation>
    </message>
    <message>
        <source>The database server cannot be reached. What you type is kept; the program connects again on the next try.</source>
        <translation>无法连接数据库服务器。您输入的内容会被保留；下次操作时程序会重新连接。</translation>
    </message>
    <message>
        <source>The database server is back.</source>
        <translation>数据库服务器已恢复连接。</translation>
    </message>
    <message>
        <source>User: {name} ({department})</source>
        <translation>用户：{name}（{department}）</translation>
    </message>
    <message>
        <source>Database: {where}</source>
        <translation>数据库：{where}</translation>
    </message>
    <message>
        <source>(on a network share)</source>
        <translation>（位于网络共享上）</translation>
    </message>
    <message>
        <source>Overdue complaints: {count}</source>
        <translation>逾期顾客抱怨：{count}</translation>
    </message>
    <message>
        <source>My work: {total} waiting, {overdue} overdue</source>
        <translation>我的待办：{total} 项待处理，{overdue} 项逾期</translation>
    </message>
    <message>
        <source>Complaints overdue: {overdue} · due soon: {due_soon}</source>
        <translation>逾期抱怨：{overdue} · 即将到期：{due_soon}</translation>
    </message>
    <message>
        <source>The settings dialog is not available in this version.</source>
        <translation>此版本没有设置对话框。</translation>
    </message>
    <message>
        <source>About CQMS Desktop</source>
        <translation>关于 CQMS Desktop</translation>
    </message>
    <message>
        <source>&lt;b&gt;CQMS Desktop {version}&lt;/b&gt;&lt;br&gt;Customer service and complaint handling according to the Customer Service and Complaint Handling Control Procedure.</source>
        <translation>&lt;b&gt;CQMS Desktop {version}&lt;/b&gt;&lt;br&gt;按照《顾客服务及顾客抱怨处理控制程序》进行顾客服务与顾客抱怨处理。</translation>
    </message>
</context>
<context>
    <name>MyWork</name>
    <message>
        <source>Complaint to handle</source>
        <translation>待处理的抱怨</translation>
    </message>
    <message>
        <source>Countermeasure to carry out</source>
        <translation>待实施的对策</translation>
    </message>
    <message>
        <source>Countermeasure to verify</source>
        <translation>待验证的对策</translation>
    </message>
    <message>
        <source>Feedback to forward</source>
        <translation>待传递的反馈</translation>
    </message>
    <message>
        <source>Request to acknowledge</source>
        <translation>待签收的传阅</translation>
    </message>
    <message>
        <source>Survey to chase</source>
        <translation>待催回的调查表</translation>
    </message>
    <message>
        <source>SCAR: supplier reply overdue</source>
        <translation>SCAR：供应商回复已逾期</translation>
    </message>
    <message>
        <source>SCAR to verify or close</source>
        <translation>待验证或结案的 SCAR</translation>
    </message>
    <message>
        <source>Due</source>
        <extracomment>The change events after which the list may differ. A work item&apos;s record kind → the list (and editor) of that kind.</extracomment>
        <translation>期限</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>About</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Overdue</source>
        <extracomment>(all, overdue) after each refresh.</extracomment>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Nothing waits for you.</source>
        <translation>没有待您处理的事项。</translation>
    </message>
    <message>
        <source>{total} waiting for you or your department, {overdue} overdue.</source>
        <translation>{total} 项待您或您的部门处理，其中 {overdue} 项已逾期。</translation>
    </message>
    <message>
        <source>Refused by the customer: {reason} — {summary}</source>
        <translation>顾客不接受：{reason} —— {summary}</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>{name} 的新密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Must choose a new password at the next log-in</source>
        <translation>下次登录时必须修改密码</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>Customer Complaint Handling Form</source>
        <extracomment>Rasterising a page at the printer&apos;s full resolution (1200 dpi) would take ~500 MB per A4 page; 300 dpi is print quality for text and lines at a fraction of that. The languages offered, each named in its own language (a clerk picks the customer&apos;s). Form kinds → their names in the UI (translated in context ``PrintPreview``).</extracomment>
        <translation>顾客抱怨处理单</translation>
    </message>
    <message>
        <source>Customer Visit Form</source>
        <translation>顾客访问单</translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form</source>
        <translation>顾客质量反馈单</translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey</source>
        <translation>顾客满意度调查表</translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record</source>
        <translation>备件供应及调换记录</translation>
    </message>
    <message>
        <source>8D Report</source>
        <translation>8D 报告</translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request</source>
        <translation>供应商纠正措施要求单</translation>
    </message>
    <message>
        <source>Print preview — {title}</source>
        <translation>打印预览 — {title}</translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation>表单语言：</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>Excel workbook</source>
        <translation>Excel 工作簿</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>另存为：</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Save the form</source>
        <translation>保存表单</translation>
    </message>
    <message>
        <source>The form was saved as {name}.</source>
        <extracomment>The last &quot;form saved&quot; message (not modal: kept alive here; tests look at it).</extracomment>
        <translation>表单已保存为 {name}。</translation>
    </message>
    <message>
        <source>Form saved</source>
        <translation>表单已保存</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Preview and print the form in the customer&apos;s language</source>
        <translation>以顾客的语言预览并打印表单</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the form as PDF or Excel</source>
        <translation>将表单保存为 PDF 或 Excel</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <source>New product</source>
        <translation>新建产品</translation>
    </message>
    <message>
        <source>Product {number}</source>
        <translation>产品 {number}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>零件号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
</context>
<context>
    <name>RegisterModel</name>
    <message>
        <source>Yes</source>
        <extracomment>Rows fetched per page; a screenful is ~40, so one page covers several screens. The record id of a row (``int``). The whole row as a ``dict`` (column key → raw value). Background of an overdue complaint (lists and the complaint editor&apos;s action table). Background of a complaint whose deadline is close.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>This column cannot be sorted.</source>
        <extracomment>A (re)load is in: the count and the first rows are those of the current filter/sort.</extracomment>
        <translation>此列不能排序。</translation>
    </message>
    <message>
        <source>Overdue: not handled within the handling deadline.</source>
        <translation>逾期：未在处理期限内处理。</translation>
    </message>
    <message>
        <source>Due soon: the handling deadline is close.</source>
        <translation>即将到期：处理期限临近。</translation>
    </message>
</context>
<context>
    <name>RegisterView</name>
    <message>
        <source>New</source>
        <extracomment>A record was opened (its id) or ``None`` for a new one; after the opener ran.</extracomment>
        <translation>新建</translation>
    </message>
    <message>
        <source>Create a new record (Ctrl+N)</source>
        <translation>新建记录 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the selected record (Enter or double-click)</source>
        <translation>打开所选记录（回车或双击）</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Save the list as shown (filter, sort, columns) as xlsx</source>
        <translation>按当前显示（筛选、排序、列）将列表保存为 xlsx</translation>
    </message>
    <message>
        <source>Print selected…</source>
        <translation>打印所选…</translation>
    </message>
    <message>
        <source>Print or save the selected records&apos; forms (Ctrl+P)</source>
        <translation>打印或保存所选记录的表单 (Ctrl+P)</translation>
    </message>
    <message>
        <source>No records match the filters — &lt;a href=&quot;clear&quot;&gt;Clear all&lt;/a&gt;</source>
        <translation>没有符合筛选条件的记录 — &lt;a href=&quot;clear&quot;&gt;全部清除&lt;/a&gt;</translation>
    </message>
    <message>
        <source>1 record</source>
        <translation>1 条记录</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>{n} 条记录</translation>
    </message>
</context>
<context>
    <name>Registers</name>
    <message>
        <source>Complaints</source>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>质量反馈</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>顾客访问</translation>
    </message>
    <message>
        <source>Satisfaction surveys</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Service records</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Departments</source>
        <extracomment>The departments as a register, so they list like everything else (six rows).</extracomment>
        <translation>部门</translation>
    </message>
    <message>
        <source>Defect categories</source>
        <translation>缺陷类别</translation>
    </message>
    <message>
        <source>Supplier corrective actions (SCAR)</source>
        <translation>供应商纠正措施（SCAR）</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>供应商</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>Complaints</source>
        <extracomment>Row of the Summary sheet where the KPI table&apos;s header is (rows above: title, scope, note).</extracomment>
        <translation>顾客抱怨</translation>
    </message>
    <message>
        <source>Corrective actions</source>
        <translation>纠正措施</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>质量反馈</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>顾客访问</translation>
    </message>
    <message>
        <source>Satisfaction surveys</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Data complaints</source>
        <translation>数据 顾客抱怨</translation>
    </message>
    <message>
        <source>Data actions</source>
        <translation>数据 纠正措施</translation>
    </message>
    <message>
        <source>Data feedback</source>
        <translation>数据 质量反馈</translation>
    </message>
    <message>
        <source>Data visits</source>
        <translation>数据 顾客访问</translation>
    </message>
    <message>
        <source>Data surveys</source>
        <translation>数据 满意度调查</translation>
    </message>
    <message>
        <source>Management review</source>
        <translation>管理评审</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Pareto defects</source>
        <extracomment>Customers shown in the per-customer chart.</extracomment>
        <translation>缺陷柏拉图</translation>
    </message>
    <message>
        <source>Pareto responsibility</source>
        <translation>责任柏拉图</translation>
    </message>
    <message>
        <source>Per customer</source>
        <translation>按顾客</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Defect category</source>
        <translation>缺陷类别</translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation>责任归属</translation>
    </message>
    <message>
        <source>Cost of poor quality ({currency})</source>
        <translation>质量成本（{currency}）</translation>
    </message>
    <message>
        <source>Average score: quality</source>
        <translation>平均得分：质量</translation>
    </message>
    <message>
        <source>Average score: service</source>
        <translation>平均得分：服务</translation>
    </message>
    <message>
        <source>Average score: price</source>
        <translation>平均得分：价格</translation>
    </message>
    <message>
        <source>Average score: delivery</source>
        <translation>平均得分：供货状况</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Received, urgent</source>
        <translation>接收（急件）</translation>
    </message>
    <message>
        <source>Received, normal</source>
        <translation>接收（普通件）</translation>
    </message>
    <message>
        <source>Handled on time (within the 2/7-day limit)</source>
        <translation>按期处理（2/7 天期限内）</translation>
    </message>
    <message>
        <source>Customer-months due (active customers × months ended)</source>
        <translation>应访问的顾客月数（有效顾客 × 已结束的月数）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Handled late</source>
        <translation>逾期处理</translation>
    </message>
    <message>
        <source>Overdue, not yet handled</source>
        <translation>逾期未处理</translation>
    </message>
    <message>
        <source>On-time rate: on time ÷ (on time + late + overdue)</source>
        <translation>按期率：按期 ÷（按期 + 逾期处理 + 逾期未处理）</translation>
    </message>
    <message>
        <source>Closed in period</source>
        <translation>期内结案</translation>
    </message>
    <message>
        <source>Mean days to close</source>
        <translation>平均结案天数</translation>
    </message>
    <message>
        <source>Median days to close</source>
        <translation>结案天数中位数</translation>
    </message>
    <message>
        <source>Open at period end</source>
        <translation>期末未结</translation>
    </message>
    <message>
        <source>Open over 30 days at period end</source>
        <translation>期末超过 30 天未结</translation>
    </message>
    <message>
        <source>Repeat complaints</source>
        <translation>重复抱怨</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Carried out</source>
        <translation>已实施</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已验证</translation>
    </message>
    <message>
        <source>Overdue at period end</source>
        <translation>期末逾期</translation>
    </message>
    <message>
        <source>Customer-months visited</source>
        <translation>已访问的顾客月数</translation>
    </message>
    <message>
        <source>Customer-months due (active customers × months begun)</source>
        <translation type="vanished">应访问的顾客月数（有效顾客 × 已开始的月数）</translation>
    </message>
    <message>
        <source>Visit compliance</source>
        <translation>访问达成率</translation>
    </message>
    <message>
        <source>Surveys of the period&apos;s quarters</source>
        <translation>本期各季度的满意度调查</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>收回</translation>
    </message>
    <message>
        <source>Average overall score</source>
        <translation>平均总分</translation>
    </message>
    <message>
        <source>Satisfaction target</source>
        <translation>满意度目标</translation>
    </message>
    <message>
        <source>Customers below target</source>
        <translation>低于目标的顾客</translation>
    </message>
    <message>
        <source>Cost of poor quality</source>
        <translation>质量成本</translation>
    </message>
    <message>
        <source>Cost Pareto</source>
        <translation>质量成本柏拉图</translation>
    </message>
    <message>
        <source>Cost trend</source>
        <translation>质量成本趋势</translation>
    </message>
    <message>
        <source>Total ({currency})</source>
        <translation>合计（{currency}）</translation>
    </message>
    <message>
        <source>Complaints with costs</source>
        <translation>记有成本的抱怨数</translation>
    </message>
    <message>
        <source>Per product</source>
        <translation>按产品</translation>
    </message>
    <message>
        <source>Per defect category</source>
        <translation>按缺陷类别</translation>
    </message>
    <message>
        <source>Per responsibility</source>
        <translation>按责任</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>All complaints received</source>
        <translation>期间内收到的全部抱怨</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>No costs were recorded in this period.</source>
        <translation>本期间没有记录任何成本。</translation>
    </message>
    <message>
        <source>All customers</source>
        <translation>全部顾客</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Judged at (overdue items)</source>
        <translation>判定时间（逾期项目）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Cumulative share</source>
        <translation>累计占比</translation>
    </message>
    <message>
        <source>No complaints were received in this period.</source>
        <translation>本期间未收到顾客抱怨。</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Customers visited</source>
        <translation>已访问顾客</translation>
    </message>
    <message>
        <source>Active customers</source>
        <translation>有效顾客</translation>
    </message>
    <message>
        <source>No month of this period has begun yet.</source>
        <translation>本期间尚无已开始的月份。</translation>
    </message>
    <message>
        <source>Customer code</source>
        <translation>顾客代码</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>急件</translation>
    </message>
    <message>
        <source>Handled on time</source>
        <translation>按期处理</translation>
    </message>
    <message>
        <source>Overdue, not handled</source>
        <translation>逾期未处理</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按期率</translation>
    </message>
    <message>
        <source>Months visited</source>
        <translation>已访问月数</translation>
    </message>
    <message>
        <source>Surveys returned</source>
        <translation>已收回调查</translation>
    </message>
    <message>
        <source>Below target</source>
        <translation>低于目标</translation>
    </message>
    <message>
        <source>Customers with most complaints</source>
        <translation>抱怨最多的顾客</translation>
    </message>
    <message>
        <source>Judged</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Complaints per month</source>
        <translation>每月顾客抱怨</translation>
    </message>
    <message>
        <source>On-time handling and visit compliance</source>
        <translation>按期处理率与访问达成率</translation>
    </message>
    <message>
        <source>No records.</source>
        <translation>无记录。</translation>
    </message>
</context>
<context>
    <name>ReviewExportDialog</name>
    <message>
        <source>Management review workbook</source>
        <translation>管理评审工作簿</translation>
    </message>
    <message>
        <source>2026-11, 2026Q4 or 2026</source>
        <translation>2026-11、2026Q4 或 2026</translation>
    </message>
    <message>
        <source>A month (2026-11), a quarter (2026Q4) or a year (2026).</source>
        <translation>月（2026-11）、季度（2026Q4）或年（2026）。</translation>
    </message>
    <message>
        <source>All customers (or type a code or name)</source>
        <translation>全部顾客（或输入代码或名称）</translation>
    </message>
    <message>
        <source>Sign off this review as General Manager</source>
        <translation>以总经理身份签署本次评审</translation>
    </message>
    <message>
        <source>The workbook is kept exactly as signed: later exports of this period re-print it and list the figures that differ today. Only a period that has ended.</source>
        <translation>工作簿按签署时的原样保存：以后导出该期间时将重新输出此工作簿，并列出与今天不同的数据。仅限已结束的期间。</translation>
    </message>
    <message>
        <source>Note, e.g. the meeting (optional)</source>
        <translation>备注，例如会议（可选）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>From {start} to {end}</source>
        <extracomment>The customer code chosen when the dialog was accepted (``None``: all customers). Whether the user asked to sign the review off, and the note to keep with it.</extracomment>
        <translation>从 {start} 到 {end}</translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <source>Registration</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Investigation and analysis</source>
        <translation>调查分析</translation>
    </message>
    <message>
        <source>Responsibility</source>
        <translation>责任归属</translation>
    </message>
    <message>
        <source>Emergency countermeasures and containment</source>
        <translation>紧急对策与隔离</translation>
    </message>
    <message>
        <source>Customer communication</source>
        <translation>与顾客沟通</translation>
    </message>
    <message>
        <source>Cost of poor quality</source>
        <translation>质量成本</translation>
    </message>
</context>
<context>
    <name>SendMailDialog</name>
    <message>
        <source>Send by e-mail — {number}</source>
        <translation>通过电子邮件发送 — {number}</translation>
    </message>
    <message>
        <source>addresses, separated by ;</source>
        <translation>地址，用 ; 分隔</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>收件人：</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Attachment:</source>
        <translation>附件：</translation>
    </message>
    <message>
        <source>Also attach:</source>
        <translation>同时附上：</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>发送(&amp;S)</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Sent to {to}. The message is kept with the record.</source>
        <translation>已发送给 {to}。邮件已随记录保存。</translation>
    </message>
    <message>
        <source>Not sent: {reason}
It is kept as “not sent”; send it again later.</source>
        <translation>未发送：{reason}
已保存为“未发送”；请稍后重新发送。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Customer Visit Form</source>
        <extracomment>Controlled forms: key → (default form code, default revision). The controlled forms&apos; names (glossary), by the key used in :data:`FORMS`.</extracomment>
        <translation>顾客访问单</translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form</source>
        <translation>顾客质量反馈单</translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey</source>
        <translation>顾客满意度调查表</translation>
    </message>
    <message>
        <source>Customer Complaint Handling Form</source>
        <translation>顾客抱怨处理单</translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record</source>
        <translation>备件供应及调换记录</translation>
    </message>
    <message>
        <source>8D report</source>
        <translation>8D 报告</translation>
    </message>
    <message>
        <source>Urgent complaints handled within</source>
        <translation>急件处理期限</translation>
    </message>
    <message>
        <source> days</source>
        <extracomment>WEIGHTS: part key → label (context &quot;Settings&quot;).</extracomment>
        <translation> 天</translation>
    </message>
    <message>
        <source>Normal complaints handled within</source>
        <translation>普通件处理期限</translation>
    </message>
    <message>
        <source>“Due soon” when due within</source>
        <translation>“即将到期”的提前时间</translation>
    </message>
    <message>
        <source> hours</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Circulation to be acknowledged within</source>
        <translation>传阅签收期限</translation>
    </message>
    <message>
        <source>Corrective actions due after</source>
        <translation>纠正措施期限</translation>
    </message>
    <message>
        <source>Repeat complaint: same problem within</source>
        <translation>重复抱怨：相同问题的时间范围</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Visit each customer at least every</source>
        <translation>每个顾客的最长访问间隔</translation>
    </message>
    <message>
        <source>Survey scale from</source>
        <translation>调查评分下限</translation>
    </message>
    <message>
        <source>Survey scale to</source>
        <translation>调查评分上限</translation>
    </message>
    <message>
        <source>Largest attachment</source>
        <translation>附件大小上限</translation>
    </message>
    <message>
        <source>Company</source>
        <extracomment>The due time of every complaint not yet handled (handled ones keep theirs).</extracomment>
        <translation>公司</translation>
    </message>
    <message>
        <source>Controlled forms: form code and revision</source>
        <translation>受控表单：表单编号与版本</translation>
    </message>
    <message>
        <source>Deadlines and rules</source>
        <translation>期限与规则</translation>
    </message>
    <message>
        <source>Satisfaction survey (5.1.3)</source>
        <translation>满意度调查（5.1.3）</translation>
    </message>
    <message>
        <source>Technical Service Record</source>
        <translation>技术服务记录</translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request</source>
        <translation>供应商纠正措施要求单</translation>
    </message>
    <message>
        <source>Customer Visit Form: revision</source>
        <extracomment>The label of each form&apos;s revision (literal strings, so lupdate sees them).</extracomment>
        <translation>顾客访问单：版本</translation>
    </message>
    <message>
        <source>Customer Quality Feedback Form: revision</source>
        <translation>顾客质量反馈单：版本</translation>
    </message>
    <message>
        <source>Customer Satisfaction Survey: revision</source>
        <translation>顾客满意度调查表：版本</translation>
    </message>
    <message>
        <source>Customer Complaint Handling Form: revision</source>
        <translation>顾客抱怨处理单：版本</translation>
    </message>
    <message>
        <source>Spare Parts and Exchange Record: revision</source>
        <translation>备件供应及调换记录：版本</translation>
    </message>
    <message>
        <source>8D report: revision</source>
        <translation>8D 报告：版本</translation>
    </message>
    <message>
        <source>Technical Service Record: revision</source>
        <translation>技术服务记录：版本</translation>
    </message>
    <message>
        <source>Supplier Corrective Action Request: revision</source>
        <translation>供应商纠正措施要求单：版本</translation>
    </message>
    <message>
        <source>The document number printed in the header of every copy of this form.</source>
        <translation>印在该表单每一份表头上的文件编号。</translation>
    </message>
    <message>
        <source>The revision printed next to the form code, e.g. A/0.</source>
        <translation>印在表单编号旁的版本号，例如 A/0。</translation>
    </message>
    <message>
        <source>Company name</source>
        <extracomment>Every shared setting, in the order the Settings page shows them.</extracomment>
        <translation>公司名称</translation>
    </message>
    <message>
        <source>Printed on every form and report.</source>
        <translation>印在每一份表单和报告上。</translation>
    </message>
    <message>
        <source>Company name in English</source>
        <translation>公司英文名称</translation>
    </message>
    <message>
        <source>Printed on English forms. Empty: the company name above.</source>
        <translation>印在英文表单上。留空则使用上面的公司名称。</translation>
    </message>
    <message>
        <source>Company name in German</source>
        <translation>公司德文名称</translation>
    </message>
    <message>
        <source>Printed on German forms. Empty: the English company name, else the company name.</source>
        <translation>印在德文表单上。留空则使用公司英文名称；英文名称也为空时使用公司名称。</translation>
    </message>
    <message>
        <source>Time zone (e.g. Asia/Shanghai)</source>
        <translation>时区（例如 Asia/Shanghai）</translation>
    </message>
    <message>
        <source>The company&apos;s time zone: the day a complaint is received and is due is counted in it. Empty: each PC&apos;s own time zone.</source>
        <translation>公司所在时区：顾客抱怨的接收日和到期日按此时区计算。留空：使用各电脑自己的时区。</translation>
    </message>
    <message>
        <source>Currency of recorded costs</source>
        <translation>成本记录币种</translation>
    </message>
    <message>
        <source>The currency complaint costs are recorded in (e.g. CNY, EUR), shown with the cost of poor quality in the review and on the dashboard.</source>
        <translation>记录抱怨成本所用的币种（例如 CNY、EUR），在管理评审和仪表板的质量成本中显示。</translation>
    </message>
    <message>
        <source>Procedure 5.2.3 a: urgent complaints, two days.</source>
        <translation>程序 5.2.3 a：急件，两天内处理。</translation>
    </message>
    <message>
        <source>Procedure 5.2.3 b: normal complaints, seven days.</source>
        <translation>程序 5.2.3 b：普通件，七天内处理。</translation>
    </message>
    <message>
        <source>Count deadlines in working days</source>
        <translation>按工作日计算期限</translation>
    </message>
    <message>
        <source>Count the handling deadlines in working days of the company calendar (weekends and holidays skipped, make-up working days counted) instead of calendar days.</source>
        <translation>按公司日历的工作日（跳过周末和节假日，计入调休上班日）而不是自然日计算处理期限。</translation>
    </message>
    <message>
        <source>A complaint not yet handled is marked due soon this long before.</source>
        <translation>尚未处理的顾客抱怨在到期前这段时间内标记为“即将到期”。</translation>
    </message>
    <message>
        <source>A department that has not acknowledged a routed record by then is late.</source>
        <translation>部门在此期限内未确认收到传递的记录即为逾期。</translation>
    </message>
    <message>
        <source>Feedback forwarded within</source>
        <translation>反馈转发时限</translation>
    </message>
    <message>
        <source>Procedure 5.1.2: Sales forwards a registered feedback immediately; one not forwarded by then is flagged as overdue.</source>
        <translation>程序 5.1.2：销售部须立即转发已登记的反馈；到此时限仍未转发的反馈标记为逾期。</translation>
    </message>
    <message>
        <source>The due date proposed for a new corrective action.</source>
        <translation>新纠正措施默认的完成期限。</translation>
    </message>
    <message>
        <source>Supplier replies to a SCAR within</source>
        <translation>供应商回复 SCAR 的期限</translation>
    </message>
    <message>
        <source>Procedure 5.2.3 c: the reply due date a new Supplier Corrective Action Request asks of the supplier.</source>
        <translation>程序 5.2.3 c：新的供应商纠正措施要求单要求供应商回复的期限。</translation>
    </message>
    <message>
        <source>A complaint about the same product and problem within this time is a repeat.</source>
        <translation>在此期间内同一产品、同一问题的抱怨视为重复抱怨。</translation>
    </message>
    <message>
        <source>Procedure 5.1.1: the visit plan&apos;s interval.</source>
        <translation>程序 5.1.1：顾客访问计划的间隔。</translation>
    </message>
    <message>
        <source>Larger files are refused when attached.</source>
        <translation>超过此大小的文件不能作为附件。</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>The lowest score a customer can give.</source>
        <translation>顾客可给出的最低分。</translation>
    </message>
    <message>
        <source>The highest score a customer can give (above the lowest).</source>
        <translation>顾客可给出的最高分（须高于最低分）。</translation>
    </message>
    <message>
        <source>Satisfaction target</source>
        <translation>满意度目标</translation>
    </message>
    <message>
        <source>A survey whose overall score or any item lies below it needs feedback; it must lie on the scale.</source>
        <translation>总分或任一单项低于此目标的调查需要反馈；目标必须在评分范围内。</translation>
    </message>
    <message>
        <source>Survey weights</source>
        <translation>调查权重</translation>
    </message>
    <message>
        <source>The weight of each item in the overall score; at least one must be above zero.</source>
        <translation>各单项在总分中的权重；至少一项必须大于零。</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>供货状况</translation>
    </message>
    <message>
        <source>Allowed: {min} to {max}{unit}</source>
        <translation>允许范围：{min} 至 {max}{unit}</translation>
    </message>
    <message>
        <source>empty: each PC&apos;s own time zone</source>
        <translation>留空：使用各电脑自己的时区</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The folder can be written to. The file does not exist yet: a new, empty database will be created there at the next start.</source>
        <translation>该文件夹可写入。文件尚不存在：下次启动时将在此创建一个新的空数据库。</translation>
    </message>
    <message>
        <source>Connection OK: {database}</source>
        <translation>连接成功：{database}</translation>
    </message>
    <message>
        <source>It holds CQMS data of a newer program version (schema {found}; this program knows up to {latest}): install the newer version first.</source>
        <translation>其中是更新版本程序的 CQMS 数据（结构版本 {found}；本程序最高支持 {latest}）：请先安装新版本。</translation>
    </message>
    <message>
        <source>It holds CQMS data of an older version (schema {found}); it will be upgraded to schema {latest} at the next start.</source>
        <translation>其中是旧版本的 CQMS 数据（结构版本 {found}）；下次启动时将升级到结构版本 {latest}。</translation>
    </message>
    <message>
        <source>It holds CQMS data (schema version {found}).</source>
        <translation>其中是 CQMS 数据（结构版本 {found}）。</translation>
    </message>
    <message>
        <source>It is not a CQMS database (it has other tables, such as “{table}”). Use an empty database.</source>
        <translation>这不是 CQMS 数据库（其中有其他表，例如“{table}”）。请使用空数据库。</translation>
    </message>
    <message>
        <source>It is empty: CQMS will create its tables at the next start.</source>
        <translation>数据库为空：CQMS 将在下次启动时创建所需的表。</translation>
    </message>
    <message>
        <source>Choose the database</source>
        <translation>选择数据库</translation>
    </message>
    <message>
        <source>Settings of this PC</source>
        <translation>本机设置</translation>
    </message>
    <message>
        <source>SQLite &amp;file…</source>
        <translation>SQLite 文件(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>for a server; kept in this PC&apos;s credential store</source>
        <translation>用于服务器；保存在本机的凭据存储中</translation>
    </message>
    <message>
        <source>Server &amp;password:</source>
        <translation>服务器密码(&amp;P)：</translation>
    </message>
    <message>
        <source>One URL names the database:
• sqlite:////folder/cqms.sqlite3 — a file on this PC or a network share (one PC writing at a time);
• postgresql://user:password@server:5432/cqms — a PostgreSQL server;
• mysql://user:password@server:3306/cqms — a MariaDB or MySQL server.</source>
        <translation>用一个 URL 指定数据库：
• sqlite:////文件夹/cqms.sqlite3 — 本机或网络共享上的文件（同一时间只有一台电脑写入）；
• postgresql://用户:密码@服务器:5432/cqms — PostgreSQL 服务器；
• mysql://用户:密码@服务器:3306/cqms — MariaDB 或 MySQL 服务器。</translation>
    </message>
    <message>
        <source>Note: the CQMS_DB environment variable is set on this PC ({url}); it is used instead of this setting.</source>
        <translation>注意：本机设置了环境变量 CQMS_DB（{url}），将优先使用它而不是此处的设置。</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>As the system (%1)</source>
        <translation>跟随系统（%1）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Language of the program:</source>
        <translation>程序语言：</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>日志文件：{path}</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>打开文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题排查</translation>
    </message>
    <message>
        <source>Changes take effect when CQMS Desktop is started again.</source>
        <translation>更改将在 CQMS Desktop 下次启动时生效。</translation>
    </message>
    <message>
        <source>The database preset for this PC cannot be used: {error}</source>
        <translation>本机预设的数据库不可用：{error}</translation>
    </message>
    <message>
        <source>Preset for this PC (by your IT, in {path}): {url}. It is used instead of this setting.</source>
        <translation>本机预设（由 IT 人员设置，位于 {path}）：{url}。将使用该预设而非此处的设置。</translation>
    </message>
    <message>
        <source>Enter a database URL or choose a SQLite file.</source>
        <translation>请输入数据库 URL 或选择一个 SQLite 文件。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connecting to {database}…</source>
        <translation>正在连接 {database}…</translation>
    </message>
    <message>
        <source>Choose or name the database file</source>
        <translation>选择数据库文件或输入新文件名</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)</source>
        <translation>SQLite 数据库 (*.sqlite3 *.sqlite *.db);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Company</source>
        <translation type="vanished">公司</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation type="vanished">公司名称</translation>
    </message>
    <message>
        <source>empty: each PC&apos;s own time zone</source>
        <translation type="vanished">留空：使用各电脑自己的时区</translation>
    </message>
    <message>
        <source>Time zone (e.g. Asia/Shanghai)</source>
        <translation type="vanished">时区（例如 Asia/Shanghai）</translation>
    </message>
    <message>
        <source>Controlled forms: form code and revision</source>
        <translation type="vanished">受控表单：表单编号与版本</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation type="vanished">版本</translation>
    </message>
    <message>
        <source>{form}: revision</source>
        <translation type="vanished">{form}：版本</translation>
    </message>
    <message>
        <source>Deadlines and rules</source>
        <translation type="vanished">期限与规则</translation>
    </message>
    <message>
        <source>Count deadlines in working days</source>
        <translation type="vanished">按工作日计算期限</translation>
    </message>
    <message>
        <source>Satisfaction target</source>
        <translation type="vanished">满意度目标</translation>
    </message>
    <message>
        <source>Survey weights</source>
        <translation type="vanished">调查权重</translation>
    </message>
    <message>
        <source>Save settings</source>
        <extracomment>The editor of each setting, by key, in the registry&apos;s order. The form of each group (a setting&apos;s error shows under its row).</extracomment>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销更改</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>没有需要保存的内容。</translation>
    </message>
    <message>
        <source>Saved ({n} changed).</source>
        <translation>已保存（{n} 项更改）。</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>CQMS Desktop</source>
        <translation>CQMS Desktop</translation>
    </message>
    <message>
        <source>CQMS Desktop is already running on this PC with the database
{database}

Switch to the open window (see the task bar). To work on another database, choose it with --db or in Settings.</source>
        <translation>CQMS Desktop 已在本机打开以下数据库：
{database}

请切换到已打开的窗口（见任务栏）。如需使用其他数据库，请通过 --db 或在“设置”中选择。</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>the --db option</source>
        <extracomment>QSettings key: SQLite files on a network share the user was already warned about.</extracomment>
        <translation>命令行参数 --db</translation>
    </message>
    <message>
        <source>the CQMS_DB environment variable</source>
        <translation>环境变量 CQMS_DB</translation>
    </message>
    <message>
        <source>the database preset for this PC</source>
        <translation>本机预设的数据库</translation>
    </message>
    <message>
        <source>the settings of this PC</source>
        <translation>本机设置</translation>
    </message>
    <message>
        <source>the default database</source>
        <translation>默认数据库</translation>
    </message>
    <message>
        <source>your choice in the database dialog</source>
        <translation>您在数据库对话框中的选择</translation>
    </message>
    <message>
        <source>Database on a network share</source>
        <translation>数据库位于网络共享上</translation>
    </message>
    <message>
        <source>The database file is on a network share.</source>
        <translation>数据库文件位于网络共享上。</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>文件：{path}</translation>
    </message>
</context>
<context>
    <name>StatusChooser</name>
    <message>
        <source>Status: any</source>
        <translation>状态：不限</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>状态：{status}</translation>
    </message>
    <message>
        <source>Status: {n} chosen</source>
        <translation>状态：已选 {n} 项</translation>
    </message>
</context>
<context>
    <name>SupplierDialog</name>
    <message>
        <source>New supplier</source>
        <translation>新供应商</translation>
    </message>
    <message>
        <source>Supplier {code}</source>
        <translation>供应商 {code}</translation>
    </message>
    <message>
        <source>Active (offered when raising a SCAR)</source>
        <translation>启用（发出 SCAR 时可选）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Form language</source>
        <translation>表单语言</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>User {name}</source>
        <translation>用户 {name}</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Active (may log in)</source>
        <translation>有效（可以登录）</translation>
    </message>
    <message>
        <source>Must choose a new password at the next log-in</source>
        <translation>下次登录时必须修改密码</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Set a new password…</source>
        <translation>设置新密码…</translation>
    </message>
</context>
<context>
    <name>VisitPlan</name>
    <message>
        <source>Visited</source>
        <translation>已访问</translation>
    </message>
    <message>
        <source>Covered by an earlier visit</source>
        <translation>已由之前的访问覆盖</translation>
    </message>
    <message>
        <source>Not yet visited</source>
        <translation type="vanished">尚未访问</translation>
    </message>
    <message>
        <source>In progress: not yet visited</source>
        <translation>本月进行中：尚未访问</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未按计划访问</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Not yet a customer</source>
        <translation>尚非顾客</translation>
    </message>
    <message>
        <source>Month in progress: {visited} of {due} customers visited so far. It counts in the compliance rates once it has ended.</source>
        <extracomment>Cell colours by state; this month&apos;s &quot;not yet&quot; is drawn stronger than the rest.</extracomment>
        <translation>本月进行中：{due} 家顾客中已访问 {visited} 家。本月结束后才计入达成率。</translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>How many of this month&apos;s customers still to visit the line above the plan names.</extracomment>
        <translation>代码</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation>业务员</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>达成率</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Compliance rate</source>
        <translation>访问达成率</translation>
    </message>
</context>
<context>
    <name>VisitPlanView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Sales person</source>
        <translation>业务员</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>达成率</translation>
    </message>
    <message>
        <source>This month, not yet visited</source>
        <translation>本月尚未访问</translation>
    </message>
    <message>
        <source>and {count} more</source>
        <translation>及另外 {count} 家</translation>
    </message>
    <message>
        <source>Not yet visited this month ({count}): {names}</source>
        <translation>本月尚未访问（{count}）：{names}</translation>
    </message>
    <message>
        <source>Every active customer has been visited this month.</source>
        <translation>本月所有有效顾客均已访问。</translation>
    </message>
    <message>
        <source>(not assigned)</source>
        <translation>（未分配）</translation>
    </message>
</context>
<context>
    <name>WorkTray</name>
    <message>
        <source>CQMS: {total} waiting for you, {overdue} overdue</source>
        <translation>CQMS：{total} 项待您处理，{overdue} 项已逾期</translation>
    </message>
    <message>
        <source>{count} new in My work: {number} {customer}</source>
        <translation>“我的工作”中有 {count} 项新事项：{number} {customer}</translation>
    </message>
    <message>
        <source>CQMS Desktop</source>
        <translation>CQMS Desktop</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <source>Start investigation</source>
        <translation>开始调查分析</translation>
    </message>
    <message>
        <source>Feed preliminary plan back to Sales</source>
        <translation>将初步改善方案反馈业务部</translation>
    </message>
    <message>
        <source>Countermeasures verified: notify Sales</source>
        <translation>对策已验证：通知业务部</translation>
    </message>
    <message>
        <source>Customer accepted</source>
        <translation>顾客接受</translation>
    </message>
    <message>
        <source>Customer did not accept</source>
        <translation>顾客不接受</translation>
    </message>
    <message>
        <source>Approve and close</source>
        <translation>批准并结案</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
</context>
</TS>
