"""Name and text pools for the demonstration data (:mod:`cqms_desktop.services.demo`).

Plain data, no logic: Chinese company names are built from city, trade name and line of
business; a few English and German customers show the forms in those languages. The texts
are what a Sales clerk or a QA engineer of a Chinese metal-parts factory would write.
"""

from __future__ import annotations

from ...domain.enums import Department

#: The password of every demonstration account (printed by ``cqms demo``).
DEMO_PASSWORD = "cqms-demo-2026"

#: Demonstration accounts: user name, full name, department, administrator?
DEMO_USERS: list[tuple[str, str, Department, bool]] = [
    ("zhang.wei", "张伟", Department.SALES, False),
    ("li.na", "李娜", Department.SALES, False),
    ("wang.fang", "王芳", Department.SALES, False),
    ("liu.yang", "刘洋", Department.QA, False),
    ("chen.jing", "陈静", Department.QA, False),
    # A third QA engineer: an action QA owns is verified by neither its owner nor the QA
    # engineer who prepares the complaint's form (reviewer ≠ preparer).
    ("sun.li", "孙丽", Department.QA, False),
    ("yang.lei", "杨磊", Department.TECHNICAL, False),
    ("zhao.qiang", "赵强", Department.MANUFACTURING, False),
    ("huang.min", "黄敏", Department.ADMINISTRATION, True),
    ("zhou.jun", "周军", Department.GENERAL_MANAGER, False),
]

DEMO_COMPANY_NAME = "宁波永诚精密机械有限公司"

CITIES = [
    "上海", "苏州", "宁波", "无锡", "杭州", "常州", "东莞", "佛山", "天津", "青岛",
    "重庆", "武汉", "成都", "厦门", "温州", "合肥", "南京", "嘉兴", "绍兴", "台州",
]  # fmt: skip
TRADE_NAMES = [
    "恒达", "精工", "华信", "永盛", "鑫源", "瑞丰", "宏远", "金泰", "博锐", "联创",
    "天成", "海纳", "正泰", "东升", "美嘉", "立信", "中科", "新华", "长城", "安捷",
    "嘉业", "宝隆", "益丰", "凯越",
]  # fmt: skip
BUSINESSES = [
    "汽车配件", "精密机械", "电器", "五金制品", "模具", "电子科技", "液压设备",
    "塑胶制品", "电机", "阀门",
]  # fmt: skip
LEGAL_FORMS = ["有限公司", "股份有限公司", "制造有限公司"]
STREETS = ["工业大道", "科技路", "开发区长江路", "高新区创业路", "经济开发区黄河路", "滨海大道"]
CONTACT_NAMES = [
    "孙经理", "周工", "吴主任", "郑经理", "冯工", "陈采购", "褚主管", "卫经理", "蒋工", "沈经理",
]  # fmt: skip

#: Customers whose forms are printed in English or German: name, language, address.
FOREIGN_CUSTOMERS: list[tuple[str, str, str]] = [
    ("Northbridge Components Ltd.", "en", "12 Mill Lane, Sheffield S3 8GQ, United Kingdom"),
    ("Müller Antriebstechnik GmbH", "de", "Industriestraße 14, 73730 Esslingen, Deutschland"),
    ("Atlas Precision Inc.", "en", "450 Commerce Drive, Dayton, OH 45402, USA"),
    ("Schneider Hydraulik AG", "de", "Am Hafen 3, 47119 Duisburg, Deutschland"),
    ("Pacific Fasteners Pty Ltd", "en", "8 Harbour Road, Port Melbourne VIC 3207, Australia"),
    ("Weber Präzisionsteile GmbH", "de", "Gewerbepark 7, 90411 Nürnberg, Deutschland"),
]
FOREIGN_CONTACTS = {"en": ["John Miller", "Sarah Brown"], "de": ["Thomas Wagner", "Anna Becker"]}

#: Products: part-number stem and Chinese name.
PRODUCTS: list[tuple[str, str]] = [
    ("YC-1001", "液压阀体"), ("YC-1002", "齿轮箱壳体"), ("YC-1003", "精密轴套"),
    ("YC-1004", "注塑外壳"), ("YC-1005", "冲压支架"), ("YC-1006", "铝合金端盖"),
    ("YC-1007", "O型密封圈"), ("YC-1008", "线束连接器"), ("YC-1009", "电机座"),
    ("YC-1010", "导向轴"), ("YC-1011", "法兰盘"), ("YC-1012", "传动齿轮"),
    ("YC-1013", "压铸泵体"), ("YC-1014", "不锈钢紧固件"), ("YC-1015", "散热片"),
    ("YC-1016", "弹簧垫片"),
]  # fmt: skip
PRODUCT_VARIANTS = ["A", "B", "C"]

VISIT_PURPOSES = [
    "例行月度拜访", "新产品介绍", "质量问题沟通", "年度合同洽谈", "交货计划确认",
    "样品确认", "价格调整沟通", "满意度调查回访",
]  # fmt: skip
VISIT_DISCUSSIONS = [
    "顾客对近期供货质量总体满意，提及包装需加强防潮。",
    "讨论了下季度的订单预测及产能安排。",
    "顾客介绍了新项目，需我司配合开发新零件。",
    "双方就上月的质量问题改善效果进行了确认。",
    "顾客希望我司参加其年度供应商大会。",
    "顾客采购部提出价格下调要求，需内部评估。",
]
VISIT_REQUESTS = [
    "要求缩短交货周期至两周。",
    "希望提供英文版安装说明书。",
    "要求每批次随货附检验报告。",
    "希望增加防锈包装。",
    "要求提供材质证明书。",
    "要求对关键尺寸进行百分之百检验。",
    "",
]
#: Why a request about delivery times does not go to the Technical Section (5.1.1).
VISIT_ROUTING_REASON = "仅涉及交货期，与产品技术无关，故未传递技术课。"
VISIT_FOLLOW_UPS = ["下月回访确认。", "由质保部回复检验方案。", "技术课评估后答复。", ""]

FEEDBACK_TEXTS: dict[str, list[str]] = {
    "quality": [
        "顾客来电反映{product}有毛刺，装配时划伤手。",
        "顾客反映{product}尺寸偏大，部分无法装配。",
        "顾客来信反映{product}表面有锈点。",
    ],
    "delivery": [
        "顾客反映订单延迟交货三天，影响其生产安排。",
        "顾客要求本月订单提前一周交货。",
        "到货数量与送货单不符，短少一箱。",
    ],
    "service": [
        "顾客希望业务员增加拜访频次。",
        "顾客反映售后响应较慢，希望指定专人对接。",
        "顾客要求提供电子版送货单。",
    ],
    "price": [
        "顾客要求明年单价下调百分之三。",
        "顾客询问批量采购的折扣政策。",
    ],
    "technical": [
        "顾客咨询{product}的最高工作温度。",
        "顾客询问{product}能否替代原有型号。",
        "顾客要求提供{product}的三维图纸。",
    ],
    "other": [
        "顾客通知其公司地址变更。",
        "顾客邀请我司参加供应商质量审核。",
    ],
}
FEEDBACK_RESULTS = [
    "已由相关部门回复顾客，顾客无异议。",
    "已安排改善，并电话告知顾客。",
    "已提供所需资料，顾客确认收到。",
    "经评估后与顾客协商一致。",
]
CALLERS = ["孙经理", "周工", "吴主任", "郑经理", "采购部", "质量部", "仓库"]

#: Complaint defect categories and description templates.
#: The managed defect-category list of the demonstration: (code, zh, en, de).
DEFECT_CATEGORIES: list[tuple[str, str, str, str]] = [
    ("DIM", "尺寸", "Dimension", "Maß"),
    ("APP", "外观", "Appearance", "Aussehen"),
    ("PKG", "包装", "Packaging", "Verpackung"),
    ("FUN", "功能", "Function", "Funktion"),
    ("MAT", "材料", "Material", "Werkstoff"),
    ("LBL", "标识", "Labelling", "Kennzeichnung"),
    ("THR", "螺纹", "Thread", "Gewinde"),
]
#: (defect category code, description template) of the demonstration complaints.
DEFECTS: list[tuple[str, str]] = [
    ("DIM", "批次{lot}的{product}外径尺寸超差，顾客来料检验发现{qty}件不合格。"),
    ("APP", "{product}表面划伤、磕碰，批次{lot}共{qty}件影响外观。"),
    ("PKG", "包装破损导致{product}磕碰变形，批次{lot}约{qty}件。"),
    ("FUN", "{product}装机后漏油，批次{lot}共{qty}件功能失效。"),
    ("MAT", "{product}硬度不足，批次{lot}抽检{qty}件不合格。"),
    ("LBL", "{product}标签错误，批次{lot}混入其他型号{qty}件。"),
    ("THR", "{product}螺纹通规不通，批次{lot}共{qty}件无法装配。"),
]
CUSTOMER_REQUESTS = [
    "要求三天内提供8D报告并补发合格品。",
    "要求退货并赔偿停线损失。",
    "要求派员到现场挑选。",
    "要求说明原因并提交改善措施。",
]
INVESTIGATIONS = [
    "经调查，为加工过程中刀具磨损未及时更换所致。",
    "经调查，为来料硬度偏低，供应商热处理工艺不稳定。",
    "经调查，为运输途中堆放过高导致包装压损。",
    "经调查，为检验员漏检，首件检验记录不完整。",
    "经调查，为模具型腔磨损导致尺寸漂移。",
    "经调查，顾客装配方法不当造成损坏。",
    "经多方分析，暂无法确认原因，先按顾客要求处理。",
]
CAUSES = ["刀具寿命管理不到位", "供应商来料不良", "包装方式不合理", "检验方法不足", "模具磨损"]
PRELIMINARY_PLANS = [
    "对库存成品及在制品全数检验，不合格品隔离并按QP1301处理；补发合格品。",
    "派员到顾客处挑选，合格品继续使用，不合格品退回。",
    "更换刀具并加严首件检验，库存产品100%复检。",
    "改用加强型包装箱，已发货批次由业务部联系顾客确认。",
]
ACTION_TEXTS: dict[str, list[str]] = {
    "process": ["修订作业指导书，增加去毛刺工序。", "调整热处理工艺参数并验证。"],
    "management": ["建立刀具寿命管理台账，定期更换。", "加强检验员培训并考核上岗。"],
    "mould_equipment": ["修复模具型腔并增加定期保养。", "更换磨损的夹具定位销。"],
    "inspection": ["增加关键尺寸专用检具。", "出货检验抽样方案由一般II级改为加严。"],
}
EXECUTION_NOTES = ["已按计划完成。", "已完成，相关记录见附件。", "已实施，待质保部验证。"]
VERIFICATIONS = ["连续三批跟踪，未再发生同类问题。", "抽检合格，措施有效。"]
REFUSAL_REASONS = ["顾客认为原因分析不充分，要求补充数据。", "顾客不接受赔偿方案，要求重新评估。"]
ACTION_DEPARTMENTS = {
    "process": Department.MANUFACTURING,
    "management": Department.QA,
    "mould_equipment": Department.TECHNICAL,
    "inspection": Department.QA,
}

SURVEY_COMMENTS = ["总体满意。", "希望交期更稳定。", "价格偏高。", "服务响应及时。", ""]
SURVEY_FOLLOW_UP = "满意度低于目标（{score}分），业务部调查原因：{comment}"

SERVICE_SUBJECTS: dict[str, list[str]] = {
    "consultation": ["{product}选型建议", "{product}技术参数咨询", "替代型号评估"],
    "instructions": ["{product}安装说明书", "{product}使用说明书"],
    "spare_parts": ["{product}备件供应", "易损件补充"],
    "exchange": ["过期产品调换", "设计变更前产品调换"],
    "onsite": ["现场安装指导", "现场故障排查"],
}
SERVICE_DETAILS = [
    "按顾客要求提供相关资料并解答疑问。",
    "与顾客确认需求后安排处理。",
    "已与顾客技术部沟通确认。",
]
SERVICE_RESULTS = ["顾客确认问题已解决。", "已完成，顾客签字确认。", "顾客满意。"]
EXCHANGE_REASONS = ["产品超过保存期限。", "设计变更，旧版产品调换为新版。"]
