"""Every word printed on the controlled forms, in Chinese, English and German.

The terms come from the procedure's glossary (``shared/procedure/glossary.md``): the Chinese is
the customer's own wording, English and German are the renderings for forms mailed to English-
and German-speaking customers. Where the glossary has no term, one is chosen here, once, and
used on every form. The UI has its own Qt translations; forms always print these words, so a
form mailed to a German customer is German whatever language the clerk's screen is in.

Plain data and lookups, no output format: the printed forms (``exports``) and the Excel
import's heading and value matching (``services.import_mapping``) both read these words.
"""

from __future__ import annotations

from . import enums as E
from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: Languages a form can be printed in, in the order offered to users.
LANGUAGES: tuple[str, ...] = ("zh", "en", "de")

# key → (中文, English, Deutsch)
TERMS: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ form titles
    "form.complaint": (
        "顾客抱怨处理单",
        "Customer Complaint Handling Form",
        "Reklamationsbearbeitungsbericht",
    ),
    "form.visit": ("顾客访问单", "Customer Visit Form", "Kundenbesuchsbericht"),
    "form.feedback": (
        "顾客质量反馈单",
        "Customer Quality Feedback Form",
        "Kundenqualitätsrückmeldung",
    ),
    "form.survey": (
        "顾客满意度调查表",
        "Customer Satisfaction Survey",
        "Kundenzufriedenheitsumfrage",
    ),
    "form.service": (
        "备件供应及调换记录",
        "Spare Parts and Exchange Record",
        "Ersatzteil- und Austauschnachweis",
    ),
    # chosen: consultation, instructions and on-site service are not spare parts
    "form.technical_service": (
        "技术服务记录",
        "Technical Service Record",
        "Technischer Servicenachweis",
    ),
    "form.scar": (
        "供应商纠正措施要求单",
        "Supplier Corrective Action Request",
        "Lieferanten-Korrekturmaßnahmenanforderung",
    ),
    # ------------------------------------------------------------------ SCAR (5.2.3 c)
    "sec.scar_request": ("要求内容", "Request to the supplier", "Anforderung an den Lieferanten"),
    "sec.scar_reply": ("供应商回复", "Supplier's reply", "Antwort des Lieferanten"),
    "sec.scar_verification": (
        "质保部验证 / 结案",
        "Verification by QA / closure",
        "Prüfung durch die QS / Abschluss",
    ),
    "supplier": ("供应商", "Supplier", "Lieferant"),
    "supplier_code": ("供应商代码", "Supplier code", "Lieferantennummer"),
    "contacts": ("联系人", "Contacts", "Ansprechpartner"),
    "scar_complaint": ("相关顾客抱怨", "Related customer complaint", "Zugehörige Reklamation"),
    "scar_part": ("零件", "Part", "Teil"),
    "scar_defect": ("缺陷描述", "Defect", "Fehlerbeschreibung"),
    "scar_containment": (
        "要求供应商采取的围堵措施",
        "Containment required of the supplier",
        "Vom Lieferanten geforderte Sofortmaßnahmen",
    ),
    "scar_raised_on": ("发出日期", "Issued on", "Ausgestellt am"),
    "scar_reply_due": ("回复期限", "Reply due by", "Antwort fällig bis"),
    "root_cause": ("根本原因", "Root cause", "Grundursache"),
    "scar_corrective_action": ("纠正措施", "Corrective action", "Korrekturmaßnahme"),
    "effective_date": ("生效日期", "Effective from", "Wirksam ab"),
    "scar_reply_recorded": (
        "回复登记人 / 日期",
        "Reply recorded by / on",
        "Antwort erfasst von / am",
    ),
    "scar_status": ("状态", "Status", "Status"),
    "closed_by_on": ("结案人 / 日期", "Closed by / on", "Abgeschlossen von / am"),
    # ------------------------------------------------------------------ on every form
    "form_code": ("表单编号", "Form code", "Formularnummer"),
    "revision": ("版本", "Revision", "Revision"),
    "record_number": ("编号", "Record number", "Nummer"),
    "page_x_of_y": (
        "第 {page} 页 共 {pages} 页",
        "Page {page} of {pages}",
        "Seite {page} von {pages}",
    ),
    "printed_on": ("打印日期", "Printed", "Gedruckt"),
    "continued": ("（续）", "(continued)", "(Fortsetzung)"),
    "prepared_by": ("编制", "Prepared by", "Erstellt"),
    "reviewed_by": ("审核", "Reviewed by", "Geprüft"),
    "approved_by": ("批准", "Approved by", "Freigegeben"),
    "name": ("姓名", "Name", "Name"),
    "date": ("日期", "Date", "Datum"),
    "signature": ("签名", "Signature", "Unterschrift"),
    "yes": ("是", "Yes", "Ja"),
    "no": ("否", "No", "Nein"),
    # ------------------------------------------------------------------ common fields
    "customer": ("顾客", "Customer", "Kunde"),
    "customer_code": ("顾客代码", "Customer code", "Kundennummer"),
    "address": ("地址", "Address", "Anschrift"),
    "product": ("产品", "Product", "Produkt"),
    "part_number": ("料号", "Part number", "Teilenummer"),
    "status": ("状态", "Status", "Status"),
    "department": ("部门", "Department", "Bereich"),
    "no_": ("序号", "No.", "Nr."),
    "when": ("时间", "When", "Wann"),
    "by": ("经办人", "By", "Durch"),
    "to": ("对象", "To", "An"),
    "via": ("方式", "Via", "Über"),
    "reason": ("原因", "Reason", "Grund"),
    "result": ("处理结果", "Result", "Ergebnis"),
    "closed_on": ("结案日期", "Closed on", "Abgeschlossen am"),
    "quantity": ("数量", "Quantity", "Menge"),
    # ------------------------------------------------------------------ complaint (5.2)
    "sec.complaint": ("抱怨内容", "Complaint details", "Angaben zur Reklamation"),
    "lot": ("批号", "Lot / batch", "Los / Charge"),
    "qty_affected": ("不良数量", "Quantity affected", "Betroffene Menge"),
    "qty_delivered": ("交货数量", "Quantity delivered", "Gelieferte Menge"),
    "received_at": ("接收日期", "Date received", "Eingangsdatum"),
    "received_via": ("接收方式", "Received via", "Eingang über"),
    "severity": ("紧急程度", "Severity", "Dringlichkeit"),
    "defect_category": ("缺陷类别", "Defect category", "Fehlerart"),
    "deadline": ("处理期限", "Handling deadline", "Bearbeitungsfrist"),
    "feedback_number": ("顾客质量反馈单编号", "Feedback number", "Rückmeldungsnummer"),
    "repeat_of": ("重复抱怨（前次编号）", "Repeat complaint of", "Wiederholungsreklamation zu"),
    "complaint_description": ("顾客描述", "Customer's description", "Beschreibung des Kunden"),
    "customer_request": ("顾客要求", "Customer's request", "Forderung des Kunden"),
    "sec.investigation": ("调查分析", "Investigation and analysis", "Untersuchung und Analyse"),
    "investigation": ("调查情况", "Investigation", "Untersuchung"),
    "cause": ("原因分析", "Cause", "Ursache"),
    "evidence": ("证据", "Evidence", "Nachweise"),
    "team": ("调查小组", "Team", "Team"),
    "onsite_by": ("现场调查人员", "On-site investigation by", "Vor-Ort-Untersuchung durch"),
    "onsite_on": ("现场调查日期", "On-site investigation on", "Vor-Ort-Untersuchung am"),
    "onsite_findings": ("现场调查结果", "On-site findings", "Feststellungen vor Ort"),
    "sec.responsibility": ("责任归属", "Responsibility", "Verantwortung"),
    "responsibility": ("责任归属", "Responsibility", "Verantwortung"),
    "explanation": (
        "书面说明（致顾客）",
        "Written explanation to the customer",
        "Schriftliche Erklärung an den Kunden",
    ),
    "sec.emergency": ("紧急对策", "Emergency countermeasures", "Sofortmaßnahmen"),
    "preliminary_plan": (
        "初步改善方案",
        "Preliminary improvement plan",
        "Vorläufiger Verbesserungsplan",
    ),
    "plan_fed_back_at": ("反馈业务部时间", "Fed back to Sales", "An den Vertrieb gemeldet"),
    "dispatch_by": ("派员现场处理人员", "On-site dispatch: staff", "Vor-Ort-Einsatz: Personal"),
    "dispatch_on": ("派员日期", "On-site dispatch: date", "Vor-Ort-Einsatz: Datum"),
    "dispatch_action": (
        "现场处理内容",
        "On-site dispatch: action taken",
        "Vor-Ort-Einsatz: Maßnahme",
    ),
    "containment": (
        "未出货产品的处理",
        "Products not yet shipped",
        "Noch nicht versandte Produkte",
    ),
    "stock": ("类别", "Stock", "Bestand"),
    "checked": ("检查数量", "Checked", "Geprüft"),
    "held": ("隔离数量", "Held", "Gesperrt"),
    "nonconforming": ("不合格品数量", "Nonconforming product", "Fehlerhafte Produkte"),
    "finished_goods": ("成品", "Finished goods", "Fertigware"),
    "wip": ("在制品", "Work in progress", "Ware in Arbeit"),
    "nc_report": (
        "不合格品报告编号（QP1301 不合格品控制程序）",
        "Nonconforming product report (QP1301 Control of Nonconforming Product)",
        "Bericht fehlerhaftes Produkt (QP1301 Lenkung fehlerhafter Produkte)",
    ),
    "sec.longterm": ("长久对策", "Long-term countermeasures", "Dauerhafte Abstellmaßnahmen"),
    "longterm_ref": (
        "依据 YC/QP-14.01 纠正和预防措施控制程序",
        "Per YC/QP-14.01 Corrective and Preventive Action Procedure",
        "Gemäß YC/QP-14.01 Korrektur- und Vorbeugungsmaßnahmen",
    ),
    "action_type": ("对策类别", "Type", "Art"),
    "action": ("对策内容", "Countermeasure", "Maßnahme"),
    "responsible_department": ("责任部门", "Responsible department", "Verantwortlicher Bereich"),
    "owner": ("负责人", "Owner", "Verantwortlich"),
    "due_date": ("完成期限", "Due date", "Termin"),
    "sec.verification": (
        "追踪 / 验证",
        "Tracking / verification",
        "Verfolgung / Wirksamkeitsprüfung",
    ),
    "execution": ("执行情况", "Execution", "Umsetzung"),
    "executed": ("执行人 / 日期", "Carried out by / on", "Umgesetzt von / am"),
    "verification_result": ("验证结果", "Verification result", "Ergebnis der Wirksamkeitsprüfung"),
    "verified": ("验证人 / 日期", "Verified by / on", "Geprüft von / am"),
    "sec.communication": ("顾客沟通", "Customer communication", "Kundenkommunikation"),
    "oral_notice": (
        "口头告知顾客",
        "Oral notice to the customer",
        "Mündliche Mitteilung an den Kunden",
    ),
    "copy_sent": ("复印件送顾客", "Copy sent to the customer", "Kopie an den Kunden gesendet"),
    "customer_answer": ("顾客答复", "Customer's answer", "Antwort des Kunden"),
    "answer": ("答复", "Answer", "Antwort"),
    "accepted": ("顾客接受", "Accepted by the customer", "Vom Kunden angenommen"),
    "not_accepted": ("顾客不接受", "Not accepted by the customer", "Vom Kunden abgelehnt"),
    "accepted_on": ("顾客接受日期", "Accepted on", "Angenommen am"),
    "sec.cost": ("质量成本", "Cost of poor quality", "Fehlerkosten"),
    "cost_compensation": ("赔偿", "Compensation", "Entschädigung"),
    "cost_freight": ("运费", "Freight", "Fracht"),
    "cost_scrap": ("报废", "Scrap", "Ausschuss"),
    "cost_rework": ("返工", "Rework", "Nacharbeit"),
    "cost_replacement": ("换货", "Replacement", "Ersatzlieferung"),
    "cost_total": ("合计", "Total", "Summe"),
    "sec.approval": ("批准 / 结案", "Approval / closure", "Freigabe / Abschluss"),
    "approved_on": ("批准日期", "Approved on", "Freigegeben am"),
    "reopen_reason": ("重新打开原因", "Reason for reopening", "Grund der Wiedereröffnung"),
    # ------------------------------------------------------------------ visit (5.1.1)
    "sec.visit": ("访问信息", "Visit details", "Angaben zum Besuch"),
    "visit_date": ("访问日期", "Visit date", "Besuchsdatum"),
    "sales_people": ("访问人员（业务部）", "Visited by (Sales)", "Besucht von (Vertrieb)"),
    "customer_people": ("顾客接待人员", "Customer's people met", "Gesprächspartner beim Kunden"),
    "purpose": ("访问目的", "Purpose", "Zweck"),
    "discussion": ("洽谈内容", "Discussion", "Besprechungsinhalt"),
    "requests": (
        "顾客要求及意见",
        "Customer requests and opinions",
        "Kundenanforderungen und Meinungen",
    ),
    "follow_up": ("跟进事项", "Follow-up items", "Folgemaßnahmen"),
    "routing_reason": (
        "未传递部门及原因",
        "Departments left out and why",
        "Nicht beteiligte Abteilungen und Grund",
    ),
    "sec.circulation": ("传阅 / 签收", "Circulation / acknowledgement", "Umlauf / Kenntnisnahme"),
    "sent_at": ("发送时间", "Sent", "Gesendet"),
    "acknowledged_by": ("签收人", "Acknowledged by", "Kenntnisnahme durch"),
    "acknowledged_at": ("签收时间", "Acknowledged on", "Kenntnisnahme am"),
    "response": ("处理意见", "Response", "Stellungnahme"),
    # ------------------------------------------------------------------ feedback (5.1.2)
    "sec.feedback": ("反馈信息", "Feedback details", "Angaben zur Rückmeldung"),
    "channel": ("来源方式", "Channel", "Kanal"),
    "caller": ("顾客联系人", "Customer contact", "Ansprechpartner beim Kunden"),
    "urgent": ("紧急", "Urgent", "Dringend"),
    "feedback_type": ("反馈类别", "Type", "Art"),
    "feedback_description": ("反馈内容", "What the customer said", "Inhalt der Rückmeldung"),
    "registered_by": ("登记人", "Registered by", "Erfasst von"),
    "source": ("来源记录", "Source record", "Ursprung"),
    "complaint_numbers": ("顾客抱怨处理单编号", "Complaint number", "Reklamationsnummer"),
    "sec.result": ("处理结果", "Result", "Ergebnis"),
    # ------------------------------------------------------------------ survey (5.1.3)
    "sec.survey": ("调查信息", "Survey details", "Angaben zur Umfrage"),
    "quarter": ("季度", "Quarter", "Quartal"),
    "sent_on": ("发出日期", "Sent on", "Versandt am"),
    "returned_on": ("回收日期", "Returned on", "Zurückerhalten am"),
    "respondent": ("填表人", "Respondent", "Ausgefüllt von"),
    "survey_intro": (
        "尊敬的顾客：为持续改进我们的产品和服务，请就以下每一项在相应的方框内打“✓”"
        "（{low} = 非常不满意，{high} = 非常满意），填写后寄回我公司。谢谢您的支持！",
        "Dear customer, to help us keep improving our products and services, please tick one "
        "box for each item ({low} = very dissatisfied, {high} = very satisfied) and return this "
        "form to us. Thank you for your support.",
        "Sehr geehrte Kundin, sehr geehrter Kunde, damit wir unsere Produkte und Leistungen "
        "weiter verbessern können, kreuzen Sie bitte je Punkt ein Feld an ({low} = sehr "
        "unzufrieden, {high} = sehr zufrieden) und senden Sie uns den Bogen zurück. Vielen Dank "
        "für Ihre Unterstützung.",
    ),
    "sec.scores": ("满意度评价", "Satisfaction rating", "Zufriedenheitsbewertung"),
    "item": ("项目", "Item", "Punkt"),
    "question": ("评价内容", "Question", "Frage"),
    "score": ("评分", "Score", "Bewertung"),
    "item.quality": ("质量", "Quality", "Qualität"),
    "item.service": ("服务", "Service", "Service"),
    "item.price": ("价格", "Price", "Preis"),
    "item.delivery": ("供货状况", "Delivery", "Lieferung"),
    "question.quality": (
        "您对我公司产品质量的满意程度",
        "How satisfied are you with the quality of our products?",
        "Wie zufrieden sind Sie mit der Qualität unserer Produkte?",
    ),
    "question.service": (
        "您对我公司服务（响应速度、沟通、售后支持）的满意程度",
        "How satisfied are you with our service (response, communication, after-sales support)?",
        "Wie zufrieden sind Sie mit unserem Service (Reaktion, Kommunikation, Kundendienst)?",
    ),
    "question.price": (
        "您对我公司产品价格的满意程度",
        "How satisfied are you with our prices?",
        "Wie zufrieden sind Sie mit unseren Preisen?",
    ),
    "question.delivery": (
        "您对我公司供货状况（交期、数量、包装）的满意程度",
        "How satisfied are you with our delivery (on time, quantity, packaging)?",
        "Wie zufrieden sind Sie mit unserer Lieferung (Termintreue, Menge, Verpackung)?",
    ),
    "comments": ("意见和建议", "Comments and suggestions", "Anmerkungen und Anregungen"),
    "sec.company_use": ("本公司填写", "For company use", "Vom Unternehmen auszufüllen"),
    "overall": ("综合得分", "Overall score", "Gesamtbewertung"),
    "target": ("满意度目标", "Satisfaction target", "Zufriedenheitsziel"),
    "customer_signature": ("顾客签名", "Customer's signature", "Unterschrift des Kunden"),
    # ------------------------------------------------------------------ service (5.1.4/5.1.5)
    "sec.service": ("服务信息", "Service details", "Angaben zur Leistung"),
    "service_kind": ("服务类别", "Type of service", "Art der Leistung"),
    "service_date": ("服务日期", "Service date", "Leistungsdatum"),
    "subject": ("主题", "Subject", "Betreff"),
    "details": ("内容", "Details", "Einzelheiten"),
    "sec.instructions": (
        "使用/安装说明",
        "Instructions for use / installation",
        "Gebrauchs- / Montageanleitung",
    ),
    "instructions_language": (
        "说明书语言",
        "Language of the instructions",
        "Sprache der Anleitung",
    ),
    "doc_version": ("说明书版本", "Version of the instructions", "Version der Anleitung"),
    "agreed_on": ("与顾客确认日期", "Agreed with the customer on", "Mit dem Kunden abgestimmt am"),
    "sec.spare_parts": ("备件 / 调换", "Spare parts / exchange", "Ersatzteile / Austausch"),
    "delivery_note": ("送货单号", "Delivery note", "Lieferschein"),
    "sec.onsite": ("现场服务", "On-site service", "Vor-Ort-Service"),
    "performed_by": ("服务人员", "Performed by", "Durchgeführt von"),
    # ------------------------------------------------------------------ 8D report
    # Chosen: the disciplines as automotive customers name them (German after VDA); D3 and
    # D5 use the glossary's Sofortmaßnahme and dauerhafte Abstellmaßnahme.
    "form.8d": ("8D 报告", "8D Report", "8D-Bericht"),
    "8d.d0": ("D0 紧急响应措施", "D0 Emergency response action", "D0 Notfallmaßnahmen"),
    "8d.d1": ("D1 成立小组", "D1 Team", "D1 Team"),
    "8d.d2": ("D2 问题描述", "D2 Problem description", "D2 Problembeschreibung"),
    "8d.d3": ("D3 临时遏制措施", "D3 Containment actions", "D3 Sofortmaßnahmen"),
    "8d.d4": ("D4 根本原因分析", "D4 Root cause", "D4 Fehlerursache"),
    "8d.d5": (
        "D5 永久纠正措施",
        "D5 Permanent corrective actions",
        "D5 Dauerhafte Abstellmaßnahmen",
    ),
    "8d.d6": (
        "D6 实施与验证",
        "D6 Implementation and verification",
        "D6 Umsetzung und Wirksamkeitsprüfung",
    ),
    "8d.d7": ("D7 预防再发生", "D7 Prevention of recurrence", "D7 Wiederholung verhindern"),
    "8d.d8": ("D8 结案", "D8 Closure", "D8 Abschluss"),
    "8d.report_data": ("报告信息", "Report details", "Angaben zum Bericht"),
    "8d.complaint": ("顾客抱怨编号", "Complaint number", "Reklamationsnummer"),
    "8d.opened_on": ("8D 开始日期", "8D opened on", "8D eröffnet am"),
    "8d.team_leader": ("组长", "Team leader", "Teamleiter"),
    "8d.team_members": ("小组成员", "Team members", "Teammitglieder"),
    "8d.role": ("职责", "Role", "Rolle"),
    "8d.improvements": ("已采取的改善", "Improvements made", "Umgesetzte Verbesserungen"),
    "8d.lessons": (
        "标准化：经验纳入相关文件（工艺、作业指导书、检验规范）",
        "Standardisation: lessons carried into the process, work and inspection documents",
        "Standardisierung: Erkenntnisse in Prozess-, Arbeits- und Prüfunterlagen übernommen",
    ),
}

# Enumerated values → (中文, English, Deutsch). Listed as pairs, not as a dict keyed by the
# members: StrEnum members are equal to their value, so Department.TECHNICAL and
# FeedbackType.TECHNICAL ("technical") would overwrite each other as dict keys.
_ENUM_ROWS: list[tuple[E.LabeledEnum, tuple[str, str, str]]] = [
    (E.Department.SALES, ("业务部", "Sales Department", "Vertrieb")),
    (E.Department.QA, ("质保部", "Quality Assurance Department", "Qualitätssicherung")),
    (E.Department.TECHNICAL, ("技术课", "Technical Section", "Technik")),
    (E.Department.MANUFACTURING, ("制造部", "Manufacturing Department", "Fertigung")),
    (E.Department.ADMINISTRATION, ("管理部", "Administration Department", "Verwaltung")),
    (E.Department.GENERAL_MANAGER, ("总经理", "General Manager", "Geschäftsführung")),
    (E.Language.ZH, ("中文", "Chinese", "Chinesisch")),
    (E.Language.EN, ("英文", "English", "Englisch")),
    (E.Language.DE, ("德文", "German", "Deutsch")),
    (E.Severity.URGENT, ("急件", "Urgent", "Dringend")),
    (E.Severity.NORMAL, ("普通件", "Normal", "Normal")),
    (E.ComplaintStatus.REGISTERED, ("已登记", "Registered", "Erfasst")),
    (E.ComplaintStatus.INVESTIGATING, ("调查分析中", "Under investigation", "In Untersuchung")),
    (E.ComplaintStatus.COUNTERMEASURES, ("对策实施中", "Countermeasures", "Maßnahmen")),
    (E.ComplaintStatus.CUSTOMER_NOTICE, ("告知顾客", "Customer notice", "Kundenmitteilung")),
    (E.ComplaintStatus.AWAITING_APPROVAL, ("待批准", "Awaiting approval", "Freigabe ausstehend")),
    (E.ComplaintStatus.CLOSED, ("已结案", "Closed", "Abgeschlossen")),
    (E.Responsibility.COMPANY, ("本公司", "Company", "Unternehmen")),
    (E.Responsibility.CUSTOMER, ("顾客", "Customer", "Kunde")),
    (E.Responsibility.SUPPLIER, ("供应商", "Supplier", "Lieferant")),
    (E.Responsibility.TRANSPORT, ("运输", "Transport", "Transport")),
    (E.Responsibility.UNDETERMINED, ("无法确认", "Undetermined", "Nicht feststellbar")),
    (E.ActionType.PROCESS, ("工艺过程改善", "Process improvement", "Prozessverbesserung")),
    (
        E.ActionType.MANAGEMENT,
        (
            "管理方式的改善",
            "Management-method improvement",
            "Verbesserung der Managementmethode",
        ),
    ),
    (
        E.ActionType.MOULD_EQUIPMENT,
        (
            "模具或设备的改善",
            "Mould or equipment improvement",
            "Werkzeug- oder Anlagenverbesserung",
        ),
    ),
    (
        E.ActionType.INSPECTION,
        (
            "检测手段的改善",
            "Inspection-method improvement",
            "Verbesserung der Prüfmethode",
        ),
    ),
    (
        E.ScarStatus.AWAITING_REPLY,
        ("待供应商回复", "Awaiting supplier reply", "Antwort ausstehend"),
    ),
    (E.ScarStatus.REPLIED, ("待验证", "Reply to verify", "Antwort zu prüfen")),
    (E.ScarStatus.VERIFIED, ("验证有效", "Verified effective", "Wirksamkeit bestätigt")),
    (E.ScarStatus.CLOSED, ("已结案", "Closed", "Abgeschlossen")),
    (E.ActionStatus.OPEN, ("未完成", "Open", "Offen")),
    (E.ActionStatus.DONE, ("已执行", "Carried out", "Umgesetzt")),
    (E.ActionStatus.VERIFIED, ("已验证", "Verified", "Wirksamkeit geprüft")),
    (E.Channel.PHONE, ("来电", "Phone call", "Anruf")),
    (E.Channel.LETTER, ("来信", "Letter", "Schreiben")),
    (E.Channel.EMAIL, ("电子邮件", "E-mail", "E-Mail")),
    (E.Channel.FAX, ("传真", "Fax", "Fax")),
    (E.Channel.VISIT, ("来访", "Visit", "Besuch")),
    (E.Channel.SURVEY, ("满意度调查", "Satisfaction survey", "Zufriedenheitsumfrage")),
    (E.FeedbackType.QUALITY, ("质量问题", "Quality problem", "Qualitätsproblem")),
    (E.FeedbackType.DELIVERY, ("交货", "Delivery", "Lieferung")),
    (E.FeedbackType.SERVICE, ("服务", "Service", "Service")),
    (E.FeedbackType.PRICE, ("价格", "Price", "Preis")),
    (E.FeedbackType.TECHNICAL, ("技术问题", "Technical question", "Technische Frage")),
    (E.FeedbackType.OTHER, ("其他", "Other", "Sonstiges")),
    (E.FeedbackStatus.OPEN, ("待处理", "Open", "Offen")),
    (E.FeedbackStatus.ROUTED, ("传阅中", "In circulation", "Im Umlauf")),
    (E.FeedbackStatus.COMPLAINT, ("已转顾客抱怨", "Complaint", "Reklamation")),
    (E.FeedbackStatus.CLOSED, ("已结案", "Closed", "Abgeschlossen")),
    (E.VisitStatus.OPEN, ("未结案", "Open", "Offen")),
    (E.VisitStatus.CLOSED, ("已结案", "Closed", "Abgeschlossen")),
    (E.SurveyStatus.PLANNED, ("计划中", "Planned", "Geplant")),
    (E.SurveyStatus.SENT, ("已发出", "Sent", "Versandt")),
    (E.SurveyStatus.RETURNED, ("已回收", "Returned", "Zurückerhalten")),
    (E.ServiceKind.CONSULTATION, ("技术咨询", "Technical consultation", "Technische Beratung")),
    (E.ServiceKind.INSTRUCTIONS, ("使用/安装说明", "Product instructions", "Produktanleitung")),
    (E.ServiceKind.SPARE_PARTS, ("备件供应", "Spare parts", "Ersatzteile")),
    (E.ServiceKind.EXCHANGE, ("产品调换", "Product exchange", "Produktaustausch")),
    (E.ServiceKind.ONSITE, ("现场服务", "On-site service", "Vor-Ort-Service")),
    (E.ServiceStatus.OPEN, ("未完成", "Open", "Offen")),
    (E.ServiceStatus.DONE, ("已完成", "Done", "Erledigt")),
]

#: (enum class, stored code) → (中文, English, Deutsch).
ENUM_TERMS: dict[tuple[type[E.LabeledEnum], str], tuple[str, str, str]] = {
    (type(member), member.value): words for member, words in _ENUM_ROWS
}


def check_language(lang: str) -> str:
    """*lang* if forms can be printed in it, else a :class:`ValidationError` on ``language``."""
    if lang not in LANGUAGES:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Forms can be printed in {languages}, not “{value}”."),
            field="language",
            languages=", ".join(LANGUAGES),
            value=lang,
        )
    return lang


def term(key: str, lang: str) -> str:
    """The printed word for *key* in *lang* (``zh``, ``en`` or ``de``)."""
    return TERMS[key][LANGUAGES.index(lang)]


def enum_term(enum_type: type[E.LabeledEnum], value: str | None, lang: str) -> str:
    """The printed word for the stored code *value* of *enum_type*; ``""`` for no value.

    A code the catalogue does not know (e.g. data from a newer program version) is printed as
    it is rather than failing the whole form.
    """
    if not value:
        return ""
    words = ENUM_TERMS.get((enum_type, value))
    return words[LANGUAGES.index(lang)] if words else value


def enum_options(enum_type: type[E.LabeledEnum], lang: str) -> list[tuple[str, str]]:
    """``(code, printed word)`` for every member of *enum_type*, in declaration order."""
    i = LANGUAGES.index(lang)
    return [(m.value, ENUM_TERMS[enum_type, m.value][i]) for m in enum_type]
