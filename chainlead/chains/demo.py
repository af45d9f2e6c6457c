"""Demo data of the chains app: the reference zone's nine key chains (DOMAIN.md §9.1).

- CONFIRMED: 新一代半导体, 高端化工及新材料, 影视文化, 新经济;
- LIKELY: 海洋生物医药, 船舶海工;
- UNKNOWN (待补充, plausible from later documents): 智能家电, 汽车, 智能制造装备.

Each chain gets a lead department, a fictional 链长 (a district leader; the semiconductor chain's
is the demo user ``chainleader``), a 副链长, a 专班 and a 秘书处, and a chain map of about 40
nodes in a tree per segment with real industry terms and GB/T 4754-2017 codes where natural.
Strengths are set by hand, about 55% present / 25% weak / 20% missing overall.

Chain masters and supporting enterprises come from ``ctx.extra["enterprises"]`` (the enterprises
demo), matched to the nodes by industry code. If that list is empty or has no match for a chain,
a few fictional enterprises are created here so the chain still has its 链主 and 配套.

Sets ``ctx.extra["chains"] = {code: KeyChain}`` and ``ctx.extra["nodes"] = {code: [ChainNode]}``.
Everything is deterministic (``ctx.rng``).
"""

from __future__ import annotations

from dataclasses import dataclass

from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Segment, Strength, Verification
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise

STRENGTH = {"P": Strength.PRESENT, "W": Strength.WEAK, "M": Strength.MISSING}
SEGMENT = {"上游": Segment.UPSTREAM, "中游": Segment.MIDSTREAM, "下游": Segment.DOWNSTREAM}

# Chain maps, one line per node: "name|strength|GB/T 4754 code". A segment line starts a segment;
# one leading space = a top node of the segment, two = its child.
SEMICONDUCTOR = """
上游
 半导体材料|P|C3985
  硅片|W|C3985
  光刻胶|M|C3985
  电子特种气体|P|C3985
  溅射靶材|P|C3985
  湿电子化学品|P|C3985
 半导体设备|W|C3562
  光刻设备|M|C3562
  刻蚀设备|M|C3562
  薄膜沉积设备|W|C3562
  清洗设备|P|C3562
 EDA与IP核|M|I6520
  EDA软件|M|I6513
  半导体IP核|W|I6520
中游
 集成电路设计|P|I6520
  功率芯片设计|P|I6520
  传感器芯片设计|P|I6520
  射频芯片设计|W|I6520
  存储芯片设计|M|I6520
 晶圆制造|W|C3973
  特色工艺晶圆代工|P|C3973
  12英寸逻辑晶圆制造|M|C3973
  化合物半导体晶圆|W|C3973
 封装测试|P|C3973
  先进封装|P|C3973
  芯片测试|P|C3973
  封装基板|W|C3982
 功率器件与传感器|P|C3972
  IGBT模块|P|C3972
  碳化硅功率器件|P|C3972
  MEMS传感器|P|C3983
下游
 消费电子|P|
  智能终端|P|C3922
  可穿戴设备|P|C3961
  智能家电|P|C385
 汽车电子|P|C3962
  智能座舱|P|C3962
  新能源汽车电控|P|C3670
  车载激光雷达|M|C3983
 工业与能源电子|W|
  工业控制|P|C4011
  光伏逆变器|W|C3825
  储能变流器|M|C3824
"""

CHEMICALS = """
上游
 原油加工|P|C2511
  常减压蒸馏|P|C2511
  催化裂化|P|C2511
  液化天然气接收|P|
 基础化工原料|P|C2614
  乙烯|P|C2614
  丙烯|P|C2614
  芳烃（PX）|P|C2614
  烧碱与氯碱|P|C2612
  工业氢气|P|C2619
 化工装备与催化剂|W|
  化工催化剂|M|C2661
  炼油化工专用设备|W|C3521
中游
 合成树脂|P|C2651
  聚乙烯|P|C2651
  聚丙烯|P|C2651
  ABS树脂|W|C2651
  工程塑料|W|C2651
  可降解塑料|M|C2651
 合成橡胶与弹性体|W|C2652
  丁苯橡胶|P|C2652
  热塑性弹性体|M|C2652
 精细与专用化学品|P|C266
  涂料|P|C2641
  胶粘剂|W|C2669
  电子化学品|M|C3985
  水处理剂|P|C2666
 高性能新材料|W|
  碳纤维|M|
  芳纶纤维|M|C2829
  高性能膜材料|M|C2921
  石墨烯材料|W|C3091
下游
 汽车与交通|P|
  汽车轻量化材料|P|
  轮胎|P|C2911
 家电与电子|P|
  家电改性塑料|P|C2929
  电子封装材料|W|C3985
 新能源材料|W|
  锂电池材料|W|C3985
  光伏胶膜|M|C2921
 医药与农化|P|
  医药中间体|P|C2710
  新型肥料|P|C2624
"""

FILM = """
上游
 内容创作|W|R8810
  剧本创作|P|R8810
  IP开发与孵化|M|
  版权交易|W|M7520
 拍摄资源|P|
  影视拍摄基地|P|R8730
  摄影棚|P|R8730
  影视器材租赁|P|L7119
  服化道制作|P|
 人才与资金|W|
  影视人才培训|P|P8391
  演员经纪|M|
  影视金融与保险|M|
中游
 影视制作|P|R8730
  电影制作|P|R8730
  电视剧与网络剧制作|P|R8730
  纪录片与综艺制作|W|R8730
  微短剧制作|P|R8730
 后期制作|W|R8730
  剪辑调色|P|R8730
  视觉特效|M|I6579
  声音与录音制作|P|R8770
  动画与数字人|M|I6572
 影视科技|P|
  虚拟拍摄|P|I6579
  影视云渲染|M|I6550
下游
 发行与放映|W|
  电影发行|M|R8750
  电影院线与放映|P|R8760
  网络视听平台|W|I6429
 影视文旅|P|
  影视主题乐园|P|R9020
  影视旅游|P|
  电影节与影视会展|P|
 衍生开发|W|
  影视衍生品|M|
  影视广告|P|L7259
  影视音乐|W|R8770
"""

NEW_ECONOMY = """
上游
 信息基础设施|P|
  5G网络|P|I6312
  数据中心|P|I6450
  算力中心|P|I6550
  工业互联网标识解析|P|I6431
 核心硬件|W|
  传感器|P|C3983
  服务器|M|C3911
  智能模组|P|C3989
 数据要素|W|
  数据采集与标注|W|I6450
  数据交易|M|
中游
 软件与信息服务|P|I65
  工业软件|P|I6513
  基础软件|M|I6511
  应用软件开发|P|I6513
  信息系统集成|P|I6531
 人工智能|W|
  机器视觉|P|I6513
  大模型与算法|M|I6513
  智能语音|P|I6513
 平台经济|P|I643
  工业互联网平台|P|I6431
  生活服务平台|P|I6432
  科技创新平台|W|I6433
 信息安全|W|I6440
  网络安全|P|I6440
  区块链|M|
下游
 数字商贸|P|
  直播电商|P|F5292
  跨境电商|P|F5193
  智慧物流|W|
 数字生活|P|
  网络游戏|W|I6422
  互联网医疗|M|
  在线教育|P|
 智慧城市|W|
  城市大脑|W|I6531
  智慧交通|P|
 数字金融|M|
  金融科技|M|
  供应链金融|W|
"""

MARINE_BIO = """
上游
 海洋生物资源|P|
  海洋藻类养殖|P|A0411
  海洋微生物菌种|P|
  海洋生物样本库|M|
 海洋药物原料|P|C2710
  海洋生物提取物|P|C2710
  壳聚糖与甲壳素|P|
  海藻酸盐|P|
  鱼油与胶原蛋白肽|P|C1495
 研发服务|W|M7340
  海洋新药研发|P|M7340
  CRO与临床试验服务|M|M7340
  药物筛选与评价平台|W|M7340
中游
 海洋创新药|M|C2720
  海洋抗肿瘤药物|M|C2720
  海洋心脑血管药物|W|C2720
  海洋抗菌药物|M|C2720
 海洋生物制品|W|C2761
  海洋生物疫苗|M|C2762
  海洋酶制剂|P|
  海洋多糖制品|P|
 海洋医用材料|P|C2770
  海藻酸盐敷料|P|C2770
  可吸收止血材料|W|C2770
  医用胶原蛋白|P|C2770
 海洋功能食品|P|C1492
  海洋保健食品|P|C1492
  海藻食品|P|C1499
 海洋日化与农用制品|P|
  海洋化妆品|P|C2682
  海藻肥|P|C2625
  海洋兽药与饲料添加剂|W|C2750
下游
 医药流通|P|F5151
  医药批发|P|F5151
  医药电商|W|F5292
 医疗与康养|W|
  医疗机构应用|W|Q8411
  海洋康养|M|
 国际市场|W|
  原料药出口|P|
  国际合作研发|M|
"""

SHIPBUILDING = """
上游
 原材料|P|
  船用钢板|P|C3130
  船舶涂料|P|C2641
  焊接材料|W|
 动力系统|P|C3412
  船用低速柴油机|P|C3412
  船用曲轴|P|C3734
  船用发电机组|M|C3811
  LNG燃料供气系统|M|C3734
 船舶配套设备|W|C3734
  甲板机械|P|C3734
  螺旋桨与推进器|P|C3734
  船舶电气与自动化|M|C3734
  导航与通信设备|M|
  舱室设备|P|C3734
中游
 设计研发|W|M7484
  船舶设计|W|M7484
  海工装备设计|M|M7484
 船舶总装建造|P|C3731
  大型集装箱船|P|C3731
  超大型油轮|P|C3731
  LNG运输船|M|C3731
  公务船与特种船|P|C3731
 海洋工程装备|P|C3737
  海上钻井平台|W|C3737
  浮式生产储卸油装置|P|C3737
  海上风电安装平台|W|C3737
  深远海养殖平台|P|C3737
 修船与改装|P|C3735
  船舶修理|P|C3735
  船舶改装|P|C3735
下游
 航运物流|P|G552
  远洋运输|P|G5521
  港口服务|P|G5532
 海洋能源开发|W|
  海洋油气开发|W|B0712
  海上风电|W|D4415
 深远海养殖|P|A0411
  养殖工船|P|A0411
 船舶服务|W|
  船舶融资租赁|M|
  船舶检验与认证|P|
  船舶绿色拆解|M|C3736
"""

APPLIANCES = """
上游
 核心零部件|P|C3857
  压缩机|P|C3442
  电机|P|C3813
  变频控制器|P|C3982
  换热器|W|C3857
 电子元器件|W|
  家电主控芯片|M|C3973
  传感器|M|C3983
  显示面板|M|C3974
 材料|P|
  家电用钢板|P|C3130
  改性塑料|P|C2929
  玻璃面板|M|
中游
 白色家电|P|C385
  冰箱冷柜|P|C3851
  空调|P|C3852
  洗衣机|P|C3855
 厨卫电器|P|C3854
  厨房电器|P|C3854
  热水器|P|C3859
  洗碗机|W|C3854
 黑色家电|P|C395
  电视机|P|C3951
  音响设备|W|C3952
 小家电|W|
  清洁电器|W|C3855
  个人护理电器|M|C3856
 智能家居|W|I6532
  智能家居平台|P|I6431
  智能门锁与安防|M|C3969
下游
 销售渠道|P|
  家电批发|P|
  家电零售与电商|P|F5292
 场景服务|P|
  智慧家庭解决方案|P|I6532
  全屋定制与安装|W|
 售后与回收|W|
  售后维修|P|
  废旧家电回收|M|
 海外市场|P|
  跨境出口|P|
  海外工厂|W|
"""

AUTOMOTIVE = """
上游
 三电系统|W|
  动力电池|W|C3841
  驱动电机|M|C3812
  电控系统|P|C3670
 汽车零部件|P|C3670
  发动机|P|C3620
  变速箱|P|C3670
  车身与底盘件|P|C3660
  汽车内饰|P|C3670
  轮胎|P|C2911
 汽车电子|W|
  车规级芯片|M|C3973
  智能驾驶传感器|W|C3983
  车载信息娱乐系统|P|C3962
中游
 整车制造|P|C361
  新能源乘用车|P|C3612
  燃油乘用车|P|C3611
  商用车|P|C3611
  专用车|P|C3630
 智能网联|W|
  自动驾驶系统|M|I6513
  车联网|P|I6532
  智能座舱|P|C3962
  高精度地图|M|
 氢燃料电池汽车|M|
  燃料电池系统|M|C3849
  氢燃料电池整车|M|C3612
下游
 销售与服务|P|F526
  整车销售|P|F5261
  二手车交易|P|F5262
  汽车金融|W|
 后市场|P|
  维修保养|P|O8111
  汽车租赁|P|L7111
 能源补给|W|
  充换电设施|P|
  加氢站|M|
 循环利用|M|
  动力电池回收|W|
  报废汽车拆解|W|C4210
"""

EQUIPMENT = """
上游
 关键零部件|W|
  精密减速器|M|C3453
  伺服电机|M|C3813
  轴承|P|C3451
  液压件|P|C3444
 控制与感知|W|
  数控系统|M|
  可编程控制器|P|C4011
  工业传感器|P|C3983
  机器视觉模组|P|
 基础材料与工艺|P|
  铸锻件|P|C3391
  特种钢材|P|C3130
中游
 工业机器人|W|C3491
  多关节机器人|P|C3491
  协作机器人|M|C3491
  特种作业机器人|W|C3492
 数控机床|P|C342
  金属切削机床|P|C3421
  激光加工设备|P|C3424
  增材制造装备|M|C3493
 智能物流装备|P|
  自动化立体仓库|P|C3439
  AGV移动机器人|P|
 精密仪器|W|C401
  工业检测仪器|P|C401
  智能仪表|P|C401
 成套装备|P|
  智能产线|P|
  化工成套装备|P|C3521
  船舶焊接装备|W|C3424
下游
 系统集成|W|I6531
  智能工厂集成|W|I6531
  工业软件与MES|M|I6513
 行业应用|P|
  家电智能制造|P|
  汽车智能制造|P|
  船舶与海工智能制造|W|
  电子信息智能制造|W|
 运维与服务|W|
  设备远程运维|M|
  再制造|M|
"""


@dataclass
class ChainSpec:
    code: str
    name: str
    short: str
    verification: str
    lead: str  # key in ctx.units
    leader: tuple[str, str]  # 链长 (name, title)
    deputy: tuple[str, str]  # 副链长 (name, title)
    industry_word: tuple[str, str]  # for fallback enterprise names
    description: str
    tree: str
    task_force_units: tuple[str, ...] = ("tzcj",)
    #: Nodes where the chain masters sit, most important first (1–3 of them are used).
    masters: tuple[str, ...] = ()


CHAINS = [
    ChainSpec(
        "semiconductor",
        "新一代半导体",
        "半导体",
        Verification.CONFIRMED,
        "gxj",
        ("李志强", "副区长"),
        ("马晓东", "区工业和信息化局局长"),
        ("微电子", "半导体"),
        "以功率半导体、传感器芯片和封装测试为突破口，补齐材料与设备短板，带动智能家电、汽车电子等下游应用。",
        SEMICONDUCTOR,
        ("tzcj", "gzk"),
        masters=("封装测试", "功率器件与传感器", "集成电路设计"),
    ),
    ChainSpec(
        "chemicals",
        "高端化工及新材料",
        "化工新材料",
        Verification.CONFIRMED,
        "fgj",
        ("王海涛", "区委常委、常务副区长"),
        ("黄永红", "区发展和改革局局长"),
        ("化工", "新材料"),
        "依托港口和炼化一体化基础，向下游合成材料、精细化学品和高性能新材料延伸。",
        CHEMICALS,
        ("gxj", "tzcj"),
        masters=("原油加工", "合成树脂", "基础化工原料"),
    ),
    ChainSpec(
        "film",
        "影视文化",
        "影视",
        Verification.CONFIRMED,
        "tzcj",
        ("刘文华", "区委常委、宣传部部长"),
        ("林静", "区投资促进局局长"),
        ("影视文化", "影业"),
        "以影视拍摄基地为核心，补齐后期制作、发行和影视科技环节，发展影视文旅和衍生开发。",
        FILM,
        ("qtb",),
        masters=("影视制作", "拍摄资源", "影视文旅"),
    ),
    ChainSpec(
        "new-economy",
        "新经济",
        "新经济",
        Verification.CONFIRMED,
        "fgj",
        ("陈立新", "副区长"),
        ("何建军", "区发展和改革局副局长"),
        ("数字科技", "网络科技"),
        "发展平台经济、软件与信息服务和人工智能，推动数字技术与制造业、服务业融合。",
        NEW_ECONOMY,
        ("gxj", "jtsw"),
        masters=("平台经济", "软件与信息服务", "数字商贸"),
    ),
    ChainSpec(
        "marine-bio",
        "海洋生物医药",
        "海洋生物医药",
        Verification.LIKELY,
        "tzcj",
        ("赵明远", "副区长"),
        ("郭丽萍", "区投资促进局副局长"),
        ("海洋生物", "生物医药"),
        "依托海洋生物资源和科研院所，发展海洋创新药、医用材料、功能食品和海洋日化制品。",
        MARINE_BIO,
        ("fgj", "gzk"),
        masters=("海洋药物原料", "海洋医用材料", "海洋功能食品"),
    ),
    ChainSpec(
        "shipbuilding",
        "船舶海工",
        "船舶海工",
        Verification.LIKELY,
        "gxj",
        ("孙国栋", "副区长"),
        ("罗志刚", "区工业和信息化局副局长"),
        ("船舶重工", "海洋工程"),
        "以船舶总装和海洋工程装备为龙头，提升船用主机、甲板机械等配套本地化率，拓展深远海养殖装备。",
        SHIPBUILDING,
        ("tzcj", "gzk"),
        masters=("船舶总装建造", "海洋工程装备", "动力系统"),
    ),
    ChainSpec(
        "appliances",
        "智能家电",
        "智能家电",
        Verification.UNKNOWN,
        "gxj",
        ("周建华", "区委常委、副区长"),
        ("梁海燕", "区工业和信息化局副局长"),
        ("智能家电", "电器"),
        "待补充：是否为2021年九大重点产业链之一尚未核实。以整机企业为牵引，补齐芯片、面板等核心零部件。",
        APPLIANCES,
        ("tzcj",),
        masters=("白色家电", "厨卫电器", "黑色家电"),
    ),
    ChainSpec(
        "automotive",
        "汽车",
        "汽车",
        Verification.UNKNOWN,
        "tzcj",
        ("吴振宇", "副区长"),
        ("宋晓峰", "区投资促进局副局长"),
        ("汽车", "汽车零部件"),
        "待补充：是否为2021年九大重点产业链之一尚未核实。以整车为牵引，补强三电系统和汽车电子。",
        AUTOMOTIVE,
        ("gxj", "jtsw"),
        masters=("整车制造", "汽车零部件", "销售与服务"),
    ),
    ChainSpec(
        "equipment",
        "智能制造装备",
        "智能装备",
        Verification.UNKNOWN,
        "gxj",
        ("郑光明", "区人大常委会副主任"),
        ("谢振华", "区工业和信息化局副局长"),
        ("智能装备", "机器人"),
        "待补充：是否为2021年九大重点产业链之一尚未核实。发展工业机器人、数控机床和智能产线，服务本地制造业升级。",
        EQUIPMENT,
        ("tzcj",),
        masters=("数控机床", "成套装备", "智能物流装备"),
    ),
]

#: The one 总链长 (over every chain). Fictional.
CHIEF = ("高远航", "区委书记")

SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "晓明",
    "海燕",
    "建华",
    "丽娜",
    "志远",
    "文博",
    "雪梅",
    "国庆",
    "春雨",
    "子涵",
    "宏伟",
    "静怡",
    "俊杰",
    "佳琪",
    "立军",
    "秀英",
    "思远",
    "晨曦",
    "明辉",
    "玉兰",
    "鹏飞",
    "婷婷",
    "浩然",
    "雅琴",
    "德胜",
    "慧敏",
]
BRANDS = "海港湾蓝鲁琴珠灵凤泊澜汇瑞恒盛源创达科睿航"


def parse_tree(text: str) -> list[tuple[str, int, str, str, str]]:
    """(segment, depth, name, strength, industry code) per node line, in order."""
    out = []
    segment = None
    for raw in text.strip("\n").splitlines():
        if not raw.strip():
            continue
        if raw.strip() in SEGMENT:
            segment = SEGMENT[raw.strip()]
            continue
        depth = len(raw) - len(raw.lstrip(" ")) - 1
        name, strength, code = (part.strip() for part in raw.strip().split("|"))
        out.append((segment, depth, name, STRENGTH[strength], code))
    return out


def _person(rng, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def load(ctx) -> None:
    rng = ctx.rng
    chains: dict[str, KeyChain] = {}
    nodes_by_chain: dict[str, list[ChainNode]] = {}
    used_names = {spec.leader[0] for spec in CHAINS} | {spec.deputy[0] for spec in CHAINS} | {CHIEF[0]}
    chain_leader_user = ctx.users.get("chainleader")
    office = ctx.units.get("office")
    pool = list(ctx.extra.get("enterprises") or [])
    created_enterprises = 0

    _save(
        ChainRole(
            chain=None,
            kind=ChainRoleKind.CHIEF_CHAIN_LEADER,
            person_name=CHIEF[0],
            title=CHIEF[1],
            unit=office,
            sort_order=1,
        )
    )
    for order, spec in enumerate(CHAINS, start=1):
        lead = ctx.units[spec.lead]
        chain = _save(
            KeyChain(
                name=spec.name,
                code=spec.code,
                short_name=spec.short,
                description=spec.description,
                lead_department=lead,
                verification=spec.verification,
                sort_order=order * 10,
            )
        )
        chains[spec.code] = chain

        # People: 链长, 副链长, a 专班 of three, a 秘书处.
        _save(
            ChainRole(
                chain=chain,
                kind=ChainRoleKind.CHAIN_LEADER,
                person_name=spec.leader[0],
                title=spec.leader[1],
                unit=office,
                user=chain_leader_user if spec.code == "semiconductor" else None,
                sort_order=1,
            )
        )
        _save(
            ChainRole(
                chain=chain,
                kind=ChainRoleKind.DEPUTY_CHAIN_LEADER,
                person_name=spec.deputy[0],
                title=spec.deputy[1],
                unit=lead,
                phone=f"0532-8698{1100 + order:04d}",
                sort_order=1,
            )
        )
        task_force = [("专班组长", lead)] + [
            ("专班成员", ctx.units[key]) for key in spec.task_force_units[:2] if key in ctx.units
        ]
        for i, (title, unit) in enumerate(task_force, start=1):
            _save(
                ChainRole(
                    chain=chain,
                    kind=ChainRoleKind.CHAIN_TASK_FORCE,
                    person_name=_person(rng, used_names),
                    title=f"{title}（{unit.short_name or unit.name}）",
                    unit=unit,
                    phone=f"13{rng.randint(5, 9)}{rng.randint(10000000, 99999999)}",
                    sort_order=i,
                )
            )
        _save(
            ChainRole(
                chain=chain,
                kind=ChainRoleKind.SECRETARIAT,
                person_name=_person(rng, used_names),
                title="秘书处联络员",
                unit=lead,
                phone=f"0532-8698{2100 + order:04d}",
                sort_order=1,
            )
        )

        # The chain map: a tree per segment, saved parent first.
        nodes: list[ChainNode] = []
        last_at_depth: dict[int, ChainNode] = {}
        for i, (segment, depth, name, strength, code) in enumerate(parse_tree(spec.tree), start=1):
            parent = last_at_depth.get(depth - 1) if depth > 0 else None
            node = _save(
                ChainNode(
                    chain=chain,
                    segment=segment,
                    parent=parent,
                    name=name,
                    strength=strength,
                    industry_code=code,
                    sort_order=i * 10,
                )
            )
            last_at_depth[depth] = node
            nodes.append(node)
        nodes_by_chain[spec.code] = nodes

        created_enterprises += _link_enterprises(ctx, spec, chain, nodes, pool)

    ctx.extra["chains"] = chains
    ctx.extra["nodes"] = nodes_by_chain
    total_nodes = sum(len(v) for v in nodes_by_chain.values())
    note = (
        f", {created_enterprises} enterprises created here (enterprises demo gave none)"
        if created_enterprises
        else ""
    )
    ctx.log(
        f"  chains: {len(chains)} chains, {total_nodes} nodes, {NodeEnterprise.objects.count()} enterprise links{note}"
    )


def _code_prefixes(code: str) -> list[str]:
    """C3973 → [C3973, C397]: the exact class, then its group. A division (C39) is too broad to
    say an enterprise belongs on the node: better a fictional enterprise than a wrong one."""
    return [code[:n] for n in (5, 4) if len(code) >= n] if code else []


def _candidates(pool, code: str, exclude: set[int]) -> list:
    for prefix in _code_prefixes(code):
        found = [
            e for e in pool if e.pk not in exclude and (e.industry_code or "").upper().startswith(prefix)
        ]
        if found:
            return found
    return []


def _weight(enterprise) -> tuple:
    """Chain masters are the big names: tagged (500强, 央企, 上市…) and well capitalised first."""
    return (len(enterprise.source_tags or []), enterprise.registered_capital or 0)


def _link_enterprises(ctx, spec: ChainSpec, chain: KeyChain, nodes: list[ChainNode], pool: list) -> int:
    """1–3 chain masters on the chain's anchor nodes and several supporting enterprises on
    present or weak nodes, picked from the enterprises demo by industry code (class, then group);
    a fictional enterprise fills a node where no demo enterprise fits. Returns how many were
    created here."""
    from chainlead.enterprises.models import Enterprise

    rng = ctx.rng
    by_name = {n.name: n for n in nodes}
    used: set[int] = set()
    created = 0

    def make(node, master: bool):
        nonlocal created
        word = spec.industry_word[0] if master else spec.industry_word[1]
        suffix = "集团有限公司" if master else "有限公司"
        name = f"青岛{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}{suffix}"
        while Enterprise.objects.filter(name=name).exists():
            name = f"青岛{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(BRANDS)}{word}{suffix}"
        created += 1
        return _save(
            Enterprise(
                name=name,
                industry=node.name,
                industry_code=node.industry_code,
                responsible_unit=chain.lead_department,
                hq_city="青岛",
            )
        )

    # Chain masters: the anchor nodes named in the spec; the biggest fitting enterprise.
    for name in spec.masters[: rng.randint(1, 3)]:
        node = by_name[name]
        found = sorted(_candidates(pool, node.industry_code, used), key=_weight, reverse=True)
        enterprise = found[rng.randrange(min(2, len(found)))] if found else make(node, master=True)
        used.add(enterprise.pk)
        _save(NodeEnterprise(node=node, enterprise=enterprise, role=NodeEnterpriseRole.CHAIN_MASTER))

    # Supporting enterprises: on leaves the zone already has (present or weak), demo ones first.
    leaves = [n for n in nodes if n.parent_id and n.strength != Strength.MISSING]
    rng.shuffle(leaves)
    wanted = rng.randint(6, 10)
    linked = 0
    for node in leaves:
        if linked >= wanted:
            break
        found = _candidates(pool, node.industry_code, used)
        if found:
            enterprise = rng.choice(found)
            used.add(enterprise.pk)
            _save(NodeEnterprise(node=node, enterprise=enterprise, role=NodeEnterpriseRole.SUPPORTING))
            linked += 1
    for node in leaves:
        if linked >= min(wanted, 5):
            break
        if not NodeEnterprise.objects.filter(node=node).exists():
            _save(
                NodeEnterprise(
                    node=node, enterprise=make(node, master=False), role=NodeEnterpriseRole.SUPPORTING
                )
            )
            linked += 1
    return created
