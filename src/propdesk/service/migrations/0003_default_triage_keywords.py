"""The shared triage dictionary (project=None): emergency words and category words, by category code.

A word "A+B" is a rule: it fires when both parts occur in the report. A longer word shadows the
shorter one it contains (漏水费 is a fee, not a leak), so some entries exist only to say what a
word is *not*. Projects add their own rows, or override a shared word with a row of the same word.
"""

from django.db import migrations

# (word, category code or None, weight): these make a report an emergency.
EMERGENCY = [
    # water leak / burst pipe (给排水)
    ("漏水", "plumbing", 2), ("爆管", "plumbing", 2), ("跑水", "plumbing", 2), ("爆裂", "plumbing", 2),
    ("水管爆", "plumbing", 2), ("管子爆", "plumbing", 2), ("喷水", "plumbing", 2), ("冒水", "plumbing", 2),
    ("溢水", "plumbing", 2), ("进水", "plumbing", 1), ("水漫", "plumbing", 2), ("漫到", "plumbing", 1),
    ("全是水", "plumbing", 2), ("都是水", "plumbing", 2), ("满地都是水", "plumbing", 2), ("一地水", "plumbing", 2),
    ("往下流", "plumbing", 1), ("往下滴", "plumbing", 1), ("往下灌", "plumbing", 1), ("往下淌", "plumbing", 1),
    ("淌水", "plumbing", 1), ("流水声", "plumbing", 1), ("淹了", "plumbing", 1), ("倒灌", "plumbing", 2),
    ("漏了", None, 1), ("在漏", None, 1), ("漏得", None, 1), ("漏到", None, 1), ("漏下来", None, 1),
    ("管+爆", "plumbing", 2), ("管+破", "plumbing", 2), ("管+裂", "plumbing", 2), ("管+断", "plumbing", 2),
    ("管+脱", "plumbing", 2), ("水+爆", "plumbing", 2), ("水管+炸", "plumbing", 2), ("软管+炸", "plumbing", 2),
    ("水+止不住", "plumbing", 2), ("水+关不住", "plumbing", 2), ("水+关不掉", "plumbing", 2),
    ("天花板+滴水", "plumbing", 1), ("吊顶+滴水", "plumbing", 1), ("水+没过", "plumbing", 2),
    ("往外冒", None, 1), ("湿透", None, 1), ("全湿", None, 1), ("流到", None, 1), ("泡了", None, 1),
    ("泡塌", None, 1), ("掉水", None, 1), ("往外流", None, 1), ("往下漏", None, 1), ("管+崩", "plumbing", 2),
    ("管+炸", "plumbing", 2), ("水+喷", "plumbing", 2), ("水+一直流", "plumbing", 2),
    # power cut (电气)
    ("停电", "electrical", 2), ("没电", "electrical", 2), ("没有电", "electrical", 2), ("断电", "electrical", 2),
    ("全黑", "electrical", 2), ("家里黑", "electrical", 1), ("全家黑", "electrical", 2), ("全屋黑", "electrical", 2),
    ("整栋楼没电", "electrical", 2), ("突然黑", "electrical", 2), ("灯全灭", "electrical", 1),
    ("冒火花", "electrical", 2), ("跳闸+没电", "electrical", 2), ("空开+合不上", "electrical", 2),
    ("总闸+推不上", "electrical", 2), ("总开关+合不上", "electrical", 2),
    # gas smell / gas leak (燃气)
    ("煤气味", "gas", 3), ("燃气味", "gas", 3), ("天然气味", "gas", 3), ("液化气味", "gas", 3),
    ("漏气", "gas", 2), ("燃气泄漏", "gas", 3), ("煤气泄漏", "gas", 3), ("天然气泄漏", "gas", 3),
    ("燃气泄露", "gas", 3), ("煤气泄露", "gas", 3), ("天然气泄露", "gas", 3), ("泄漏", "gas", 1),
    ("臭鸡蛋", "gas", 2), ("燃气+味", "gas", 2), ("煤气+味", "gas", 2), ("天然气+味", "gas", 2),
    ("液化气+味", "gas", 2), ("燃气+漏", "gas", 2), ("燃气+泄", "gas", 2), ("燃气报警器+响", "gas", 2),
    ("燃气+嘶嘶", "gas", 2),
    # people trapped in a lift (电梯)
    ("电梯困人", "elevator", 3), ("困人", "elevator", 3), ("被困", "elevator", 2), ("困在", "elevator", 2),
    ("困电梯", "elevator", 3), ("困住", "elevator", 2), ("困了", "elevator", 2), ("梯困", "elevator", 3),
    ("电梯+有人", "elevator", 2), ("电梯+关着", "elevator", 2), ("电梯+关在", "elevator", 2),
    ("电梯+出不来", "elevator", 2), ("梯+出不来", "elevator", 2), ("电梯+在里面", "elevator", 2),
    ("电梯+往下掉", "elevator", 2), ("电梯+下坠", "elevator", 2), ("梯+困", "elevator", 3),
    ("梯+里面有人", "elevator", 2), ("电梯+救命", "elevator", 2), ("电梯+拍门", "elevator", 2),
    # fire and smoke (消防)
    ("着火", "fire", 4), ("起火", "fire", 4), ("失火", "fire", 4), ("火灾", "fire", 4), ("火警", "fire", 4),
    ("冒烟", "fire", 4), ("浓烟", "fire", 4), ("黑烟", "fire", 4), ("烧起来", "fire", 4), ("火光", "fire", 3),
    ("火苗", "fire", 2), ("自燃", "fire", 3), ("全是烟", "fire", 3), ("都是烟", "fire", 3), ("烟很大", "fire", 2),
    ("烧焦", "fire", 1), ("焦糊味", "fire", 2), ("掉火星", "fire", 2), ("烟雾报警器+响", "fire", 2),
    ("冒+烟", "fire", 3), ("浓的烟", "fire", 3), ("大的烟", "fire", 3), ("明火", "fire", 3), ("冒火", "fire", 3),
    ("火很大", "fire", 3), ("烧着", "fire", 3), ("燃起来", "fire", 3), ("火烧", "fire", 3), ("焦味", "fire", 2),
    ("烟+呛", "fire", 2),
]

# Category words (not emergencies), by category code; a (word, weight) pair for a stronger one.
CATEGORY = {
    "plumbing": ["水管", "管子", "管道", "下水管", "水龙头", "马桶", "下水道", "地漏", "水压", "水箱", "热水器",
                 "停水", "滴答", "堵", "返水", "水泵", "角阀", "总阀", "阀门", "暖气", "地暖", "供水", "水表",
                 "天花板", "吊顶", "积水", "空调水", "水发黄"],
    "electrical": ["电", "电闸", "跳闸", "总闸", "空开", "插座", "电线", "线路", "灯", "楼道灯", "感应灯", "路灯",
                   "灯泡", "来电", "电表", "配电", "配电箱", "配电柜", "电缆", "充电桩", "应急照明", "灯不亮",
                   "不亮"],
    "gas": ["燃气", "煤气", "天然气", "液化气", "燃气灶", "燃气表", "燃气管", "煤气罐", "燃气公司", "灶台",
            "点火", "开户"],
    "elevator": ["电梯", "梯", "货梯", "客梯", "轿厢", "年检", "维保", "平层", "电梯按钮"],
    "doors-windows": ["门锁", "窗户", "窗", "闭门器", "推拉门", "纱窗", "防盗门", "门把手", "把手", "玻璃", "开锁",
                      "反锁", "密封条", "入户门"],
    "leak-roof-wall": [("渗水", 3), ("渗漏", 3), ("漏雨", 3), ("防水", 2), ("返潮", 2), ("发霉", 2), ("水渍", 2),
                       ("水印", 2), "潮", ("防水层", 2)],
    "walls-floors": ["墙面", "墙", "裂缝", "裂纹", "地砖", "空鼓", "瓷砖", "墙砖", "台阶", "刷漆", "外墙", "墙皮"],
    "greenery": ["树", "树枝", "修剪", "草坪", "绿化", "绿化带", "种花", "花", "打药", "种菜", "喷灌", "园林",
                 "长虫", "大树"],
    "cleaning": ["垃圾", "保洁", "脏", "灰", ("积灰", 2), "打扫", "清理", "清洗", ("老鼠", 2), ("蟑螂", 2),
                 ("消杀", 2), "苍蝇", "落叶", "口香糖", "烟头", "呕吐物", "发臭", "垃圾桶", "恶心", "臭",
                 "喷泉"],
    "access-control": ["门禁", "刷卡", "人脸识别", "刷脸", "对讲", "门禁卡"],
    "cctv": [("监控", 2), ("摄像头", 2), ("调监控", 3), "录像"],
    "security": ["保安", "巡逻", "小偷", "被盗", "被偷", "偷", "撬", ("撬车", 2), ("撬门", 2), ("撬锁", 2),
                 "陌生人", "推销", "翻围墙", "小广告", "治安"],
    "noise": ["吵", "吵到", "吵得", "太吵", "很吵", "噪音", "吵死", "太响", "电钻", "施工", "嗡嗡", "咚咚",
              "跑跳", "KTV", "广场舞", "音响", "拖桌子", "叮叮当当", "练嗓子", "声音很大", "睡不着", "大声",
              "扰民"],
    "fire": ["消防", "灭火器", "消防栓", "消火栓", "消防通道", "应急灯", "报警器", "喷淋", "隐患", "消防演习",
             "消防培训", "杂物", "火星"],
    "parking": ["车位", "停车", "停车场", "道闸", "车牌", "僵尸车", "地锁", "减速带", "电动车", "共享单车", "车库",
                "地库", "访客车辆", "外来车辆", "蹭", "划了"],
    "fees": ["物业费", "费", "缴费", "交费", "发票", "收据", "催缴", "维修基金", "价格", ("收费", 2), "涨",
             "减免", "优惠", "打折", ("充值", 2), "扣了", "到账", "收支", ("租金", 2), ("多少钱", 2), "欠费",
             ("价格表", 2), ("费用", 2), ("收费标准", 2), "谁出", ("供水费", 3), ("二次供水费", 3),
             ("管理费", 3), ("物业服务费", 3), ("垃圾费", 3)],
    "service-attitude": [("态度", 2), ("不耐烦", 2), ("爱答不理", 2), ("骂人", 2), "没人接", ("表扬", 2),
                         ("感谢", 2), ("太感谢", 2), ("点赞", 2), ("推诿", 2), "没人处理", ("辛苦", 2),
                         ("周到", 2), ("热心", 2), ("耐心", 2), ("大吼大叫", 2), "不露面", "露面", "没回", "鞋套",
                         "不收拾", "谢谢", "服务态度", "没人管", "管不管", "没来", "迟到", "爽约"],
    "pets": ["狗", "猫", "宠物", "遛狗", "狗屎", "鸽子", "流浪狗", "流浪猫", "牵绳", "狗叫", "养狗"],
    "other": ["快递柜", "业主大会", "业委会", "放行条", "装修手续", "活动", "捡到", "出租", "健身器材", "烟花",
              "鞭炮", "烧纸", "秸秆"],
}

# Words that must not be read as the emergency word they contain (weight 3: they decide the category).
SHADOWS = [
    ("漏水费", "fees"), ("水费", "fees"), ("燃气费", "fees"), ("天然气费", "fees"), ("煤气费", "fees"),
    ("电费", "fees"), ("电梯费", "fees"), ("停车费", "fees"), ("维修费", "fees"),
    ("打不着火", "gas"), ("点不着火", "gas"), ("打不着", "gas"), ("点不着", "gas"),
    ("停电通知", "electrical"), ("插座没电", "electrical"), ("电池没电", "other"), ("充电桩没电", "electrical"),
    ("手机没电", "other"), ("停水停电", "other"),
    ("电梯广告", "elevator"), ("电梯年检", "elevator"), ("广告屏", "elevator"),
    ("抽烟", "other"), ("烟味", "other"), ("油烟", "other"), ("烟道", "other"), ("烟花", "other"),
    ("燃气报警器", "gas"), ("烟雾报警器", "fire"), ("火灾报警器", "fire"), ("消防管", "fire"),
    ("消防水泵", "fire"), ("喷淋头", "fire"),
    ("滴水", "plumbing"), ("空调滴水", "plumbing"),
]


def _rows():
    for word, code, weight in EMERGENCY:
        yield word, code, True, weight
    for word, code in SHADOWS:
        yield word, code, False, 3
    for code, words in CATEGORY.items():
        for entry in words:
            word, weight = entry if isinstance(entry, tuple) else (entry, 1)
            yield word, code, False, weight


def create(apps, schema_editor):
    Category = apps.get_model("service", "Category")
    TriageKeyword = apps.get_model("service", "TriageKeyword")
    categories = {c.code: c for c in Category.objects.filter(project=None)}
    seen, rows = set(), []
    for word, code, emergency, weight in _rows():
        if word in seen:  # the first entry of a word wins: emergency words, then shadows
            continue
        seen.add(word)
        rows.append(TriageKeyword(project=None, word=word, category=categories.get(code) if code else None,
                                  emergency=emergency, weight=weight))
    TriageKeyword.objects.bulk_create(rows)


def remove(apps, schema_editor):
    words = {word for word, *_ in _rows()}
    apps.get_model("service", "TriageKeyword").objects.filter(project=None, word__in=words).delete()


class Migration(migrations.Migration):
    dependencies = [("service", "0002_default_categories")]
    operations = [migrations.RunPython(create, remove)]
