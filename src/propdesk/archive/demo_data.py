"""Tables and small generators for the demo archive (archive.demo): names, numbers, places.

Everything is drawn from a `random.Random` passed in, so the same seed gives the same archive.
"""

import random
import string
from datetime import date, timedelta

DEMO_COMPANY = "示例物业服务有限公司"
DEMO_PASSWORD = "propdesk-demo"
SEED = 20240601

# (username, role, display name, project codes); a company administrator sees every project.
DEMO_USERS = (
    ("admin", "company_admin", "周建华", ()),
    ("manager", "project_manager", "陈志强", ("sunshine",)),
    ("desk", "front_desk", "林晓敏", ("sunshine",)),
    ("butler", "butler", "黄丽娟", ("sunshine",)),
    ("tech", "technician", "刘德明", ("sunshine", "techpark")),
    ("guard", "security", "张卫东", ("sunshine",)),
    ("cleaner", "cleaning", "何秀英", ("sunshine",)),
    ("manager2", "project_manager", "吴海峰", ("techpark",)),
    ("desk2", "front_desk", "郑雅琪", ("techpark",)),
)
ROLE_LABELS = {
    "company_admin": "公司管理员 Company admin",
    "project_manager": "项目经理 Project manager",
    "front_desk": "客服前台 Front desk",
    "butler": "管家 Butler",
    "technician": "工程维修 Technician",
    "security": "秩序维护 Security",
    "cleaning": "保洁 Cleaning",
}

# Most common surnames first; the weights make 王/李/张 as frequent as they are.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
SURNAME_WEIGHTS = [max(60 - i, 4) for i in range(len(SURNAMES))]
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志峰文博斌毅晨昊天泽"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪婷慧莉颖倩琪瑶欣怡佳悦晓萱涵诗雨梓彤思嘉璐蕾丹"

# (hometown, the region code that starts the resident ID numbers issued there)
HOMETOWNS = (
    ("广东深圳", "440305"), ("广东广州", "440104"), ("广东潮州", "445102"), ("广东梅州", "441402"),
    ("广东湛江", "440802"), ("广东汕头", "440507"), ("湖南长沙", "430102"), ("湖南衡阳", "430405"),
    ("湖北武汉", "420102"), ("四川成都", "510104"), ("江西南昌", "360102"), ("江西赣州", "360702"),
    ("广西南宁", "450102"), ("河南郑州", "410102"), ("福建厦门", "350203"), ("福建泉州", "350502"),
    ("浙江杭州", "330102"), ("江苏南京", "320102"), ("山东济南", "370102"), ("北京", "110101"),
    ("上海", "310101"), ("重庆", "500101"), ("陕西西安", "610102"), ("安徽合肥", "340102"),
    ("河北石家庄", "130102"), ("辽宁沈阳", "210102"), ("黑龙江哈尔滨", "230102"), ("山西太原", "140105"),
    ("云南昆明", "530102"), ("贵州贵阳", "520102"), ("海南海口", "460105"), ("天津", "120101"),
)
# Shenzhen people and neighbours are over-represented in a Shenzhen project.
HOMETOWN_WEIGHTS = [12, 6, 3, 3, 3, 3, 5, 3, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
HOBBIES = (
    "书法", "太极拳", "广场舞", "摄影", "钓鱼", "羽毛球", "篮球", "跑步", "游泳", "烹饪", "园艺", "旅游",
    "阅读", "象棋", "围棋", "乒乓球", "瑜伽", "唱歌", "绘画", "养花", "茶艺", "骑行", "登山", "音乐",
)
INCOME_OWNER = (("low", 8), ("middle", 40), ("upper_middle", 30), ("high", 15), ("", 7))
INCOME_TENANT = (("low", 20), ("middle", 50), ("upper_middle", 18), ("high", 4), ("", 8))

COMPANY_WORDS = (
    "华信", "鹏程", "创新", "中科", "腾达", "宏图", "前海", "卓越", "恒通", "智联", "云启", "博远", "汇丰",
    "新创", "海纳", "瑞丰", "天成", "锐思", "星河", "蓝海", "金桥", "远航", "嘉禾", "致远", "精诚", "明德",
)
COMPANY_TRADES = (
    "科技", "信息技术", "网络科技", "电子", "贸易", "投资咨询", "建筑设计", "文化传媒", "软件", "供应链管理",
    "医疗器械", "教育科技", "物流", "数据服务", "新能源", "生物科技",
)
GOVERNMENT_BODIES = ("粤海街道办事处科技园工作站", "南山区市场监督管理局科技园服务点")
LAYOUTS_HOME = (("两室一厅", 70, 85), ("三室两厅", 88, 115), ("四室两厅", 125, 150))
LAYOUTS_OFFICE = ("开放式办公", "隔间办公", "整层办公")

CAR_MODELS = (
    "比亚迪 汉", "比亚迪 秦PLUS", "丰田 凯美瑞", "本田 雅阁", "大众 帕萨特", "特斯拉 Model 3", "理想 L7",
    "蔚来 ES6", "宝马 3系", "奔驰 C级", "日产 轩逸", "广汽 埃安S", "小鹏 P7", "别克 GL8",
)
CAR_COLOURS = ("白色", "黑色", "灰色", "银色", "蓝色", "红色")
PETS = (
    ("狗", ("泰迪", "柯基", "金毛", "柴犬", "比熊", "拉布拉多", "博美")),
    ("猫", ("英短", "布偶", "橘猫", "美短", "狸花猫")),
)
PET_NAMES = ("豆豆", "旺财", "球球", "咪咪", "毛毛", "可乐", "雪球", "花花", "小黑", "团子", "元宝", "布丁")
HANDOVER_FINDINGS = (
    ("卫生间地面渗水", 5), ("客厅墙面空鼓", 2), ("入户门关闭不严", 2), ("阳台推拉门密封条脱落", 2),
    ("厨房下水管道堵塞", 2), ("主卧窗户开启不畅", 2), ("地砖开裂", 2), ("外墙窗边渗水", 5),
)
CARE_NOTES = ("独居老人，重点关怀", "行动不便，出行需协助", "听力不好，沟通请当面说明", "夜班工作，白天勿扰")

_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "195", "198", "199",
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Numbers:
    """Unique phone numbers and plates, and well-formed ID numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def mobile(self) -> str:
        return self._unique(lambda: self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}")

    def landline(self) -> str:
        """A Shenzhen landline in stored form (digits only): 0755 + 8 digits."""
        return self._unique(lambda: f"0755{self.rng.randint(2, 8)}{self.rng.randrange(10**7):07d}")

    def plate(self) -> str:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        return self._unique(lambda: "粤B" + self.rng.choice(letters) + f"{self.rng.randrange(10**4):04d}")

    def resident_id(self, region: str, birth: date, male: bool) -> str:
        """18 digits: region, birth date, a sequence whose last digit is odd for men, the check digit."""
        seq = self.rng.randrange(50) * 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{self.rng.randrange(10)}{seq:02d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
        return body + check

    def credit_code(self, government: bool = False) -> str:
        """A unified social credit code (统一社会信用代码) with its GB 32100 check character."""
        body = ("1144" if government else "9144") + "0305" + "".join(self.rng.choice(_CREDIT_CHARS) for _ in range(9))
        total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
        return body + _CREDIT_CHARS[(31 - total % 31) % 31]

    def travel_permit(self) -> str:
        return self._unique(lambda: "H" + f"{self.rng.randrange(10**8):08d}")


def person_name(rng: random.Random, male: bool, surname: str | None = None) -> str:
    surname = surname or rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    chars = GIVEN_MALE if male else GIVEN_FEMALE
    given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
    return surname + given


def company_name(rng: random.Random, used: set) -> str:
    while True:
        name = f"深圳市{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"
        if name not in used:
            used.add(name)
            return name


def birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    age_days = rng.randint(min_age * 365, max_age * 365 + 364)
    return today - timedelta(days=age_days)


def hometown(rng: random.Random) -> tuple[str, str]:
    return rng.choices(HOMETOWNS, HOMETOWN_WEIGHTS)[0]


def weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def hobbies(rng: random.Random) -> str:
    return "、".join(rng.sample(HOBBIES, rng.choice((0, 1, 1, 2, 2, 3))))


def wechat_id(rng: random.Random) -> str:
    return "wx_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))
