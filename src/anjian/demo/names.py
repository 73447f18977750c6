"""Word lists for the demo county: places, trade names, people. Data only, no logic.

Everything here is invented for the demo; any likeness to a real enterprise is by chance.
"""

from __future__ import annotations

COUNTY_PLACE = "文水县"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# 文水县's towns and townships; the western ones are hilly and hold the mines.
TOWNS: tuple[str, ...] = (
    "凤城镇",
    "开栅镇",
    "南庄镇",
    "南安镇",
    "刘胡兰镇",
    "下曲镇",
    "孝义镇",
    "马西乡",
    "西槽头乡",
    "北张乡",
    "西城乡",
    "苍儿会乡",
)
MINE_TOWNS: tuple[str, ...] = ("开栅镇", "马西乡", "西槽头乡", "苍儿会乡")
INDUSTRIAL_TOWNS: tuple[str, ...] = ("凤城镇", "南庄镇", "下曲镇", "孝义镇", "开栅镇", "南安镇")

# 凤城镇 is the county seat: addresses there are on streets, elsewhere in villages.
SEAT_TOWN = "凤城镇"
SEAT_STREETS: tuple[str, ...] = (
    "则天大街",
    "府前街",
    "新华街",
    "迎宾路",
    "文峪河路",
    "东环路",
    "西环路",
    "南环路",
    "北环路",
    "汾州路",
    "建设路",
    "胜利街",
)
VILLAGE_STEMS: tuple[str, ...] = (
    "东关",
    "西关",
    "南关",
    "北关",
    "王家堡",
    "武家庄",
    "郭家堡",
    "宜儿",
    "上贤",
    "保贤",
    "北辛店",
    "南武",
    "东庄",
    "西庄",
    "新堡",
    "韩村",
    "岳村",
    "冀家寨",
    "河西",
    "峪口",
    "石侯",
    "大城南",
    "信贤",
    "徐家镇",
    "南白",
    "桑村",
    "麻家堡",
    "平陆",
)
INDUSTRIAL_PARK = "文水经济开发区"
INDUSTRIAL_PARK_TOWN = "南庄镇"  # the town the (invented) park addresses belong to
PARK_ROADS: tuple[str, ...] = ("工业路", "兴业路", "创业大道", "化工园路", "纬一路", "经二路")

# 字号: the distinctive two characters of a company name.
TRADE_NAMES: tuple[str, ...] = _words(
    """
    宏达 鑫源 华泰 永兴 恒通 隆盛 兴旺 金鼎 鼎盛 瑞丰 丰源 德顺 通达 盛达 昌盛 众合 中鑫 泰和
    诚信 信达 嘉禾 富源 广源 远大 天宇 天成 天恒 恒源 恒信 恒泰 宏源 宏昌 宏盛 宏运 宏鑫 鑫达
    鑫盛 鑫海 鑫磊 鑫泰 鑫隆 金源 金泰 金盛 金鑫 金海 金诚 华盛 华鑫 华兴 华宇 兴盛 兴达 兴源
    兴隆 瑞达 瑞祥 瑞通 祥和 祥瑞 福源 福兴 福达 吉祥 安泰 安达 安顺 顺达 顺通 顺发 通源 同心
    同德 新兴 新源 新宇 正大 正通 利民 利源 利达 惠民 民丰 益民 宝丰 宝源 宝鼎 凯达 凯盛 腾达
    腾飞 振兴 振华 长青 长兴 长盛 永盛 永丰 永达 永昌 永泰 久安 聚源 聚鑫 聚丰 合盛 合力 和顺
    和盛 润通 润丰 润泽 晋丰 晋盛 晋源 晋通 汾源 文峪 则天 子夏 东方 西山 北辰 南华 中联 三元
    四通 五洲 九鼎 百川 千禧 万隆 万兴 亿达 亿丰 东升 旭日 旭升 晨光 曙光 光明 卓越 宇通 鹏程
    """
)

# How each sector's enterprises are named: the places that prefix the name, the industry words,
# and the company forms. An industry word ending in 厂 or 站 is a works without a company form
# and is prefixed with the county and town instead.
PLACE_PREFIXES: tuple[str, ...] = ("文水县", "山西文水", "吕梁", "山西", "文水")
COMPANY_FORMS: tuple[str, ...] = ("有限公司", "有限责任公司", "股份有限公司")
COMPANY_FORM_WEIGHTS: tuple[int, ...] = (10, 4, 1)
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "coal_mine": ("煤业",),
    "non_coal_mine": ("矿业", "石料", "建材", "白云岩矿业", "石灰岩矿业", "砂石", "石料厂"),
    "hazardous_chemicals": (
        "化工",
        "化学",
        "精细化工",
        "煤化工",
        "燃气",
        "气体",
        "新材料",
        "化工科技",
        "油品销售",
        "加油站",
        "加气站",
    ),
    "metallurgy": (
        "钢铁",
        "特钢",
        "铸造",
        "铸业",
        "冶炼",
        "铁合金",
        "精密铸造",
        "锻造",
        "金属制品",
        "铸造厂",
    ),
    "industry_trade": (
        "机械制造",
        "机械",
        "食品",
        "酿造",
        "酒业",
        "粮油",
        "面粉",
        "饲料",
        "纺织",
        "木业",
        "家具",
        "包装",
        "塑料制品",
        "水泥制品",
        "新型建材",
        "纸业",
        "电力设备",
        "农产品加工",
        "砖厂",
    ),
    "other": (
        "物流",
        "建筑工程",
        "建筑安装",
        "商贸",
        "农业科技",
        "养殖",
        "房地产开发",
        "物业管理",
        "餐饮管理",
        "新能源",
        "供热",
        "电子商务",
        "汽车维修",
        "仓储",
        "农机",
        "园林绿化",
        "环保科技",
        "信息技术",
        "供水",
        "汽车销售",
        "酒店管理",
        "文化传媒",
        "医药连锁",
        "超市",
    ),
}
SECTOR_PLACES: dict[str, tuple[str, ...]] = {
    "coal_mine": ("山西文水", "文水县", "山西吕梁"),
    "non_coal_mine": ("文水县", "吕梁", "山西文水"),
}

# People. Surnames weighted towards those common in central Shanxi (武 is typical of 文水).
SURNAMES: tuple[str, ...] = _words(
    """
    王 李 张 刘 武 郭 赵 杨 田 韩 任 梁 贾 冯 宋 侯 高 白 闫 薛 马 孙 牛 乔 温 胡 段 康 程 成
    """
)
SURNAME_WEIGHTS: tuple[int, ...] = (
    12, 10, 9, 9, 8, 7, 6, 6, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1,
)  # fmt: skip
MALE_GIVEN: tuple[str, ...] = _words(
    """
    伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 峰 建军 建国 建华 志强
    志刚 海峰 海龙 晓东 晓明 文斌 文龙 国庆 国华 永红 永刚 卫东 红军 春生 利军 宏伟 鹏飞 晋生
    """
)
FEMALE_GIVEN: tuple[str, ...] = _words(
    """
    丽 娟 敏 静 燕 艳 芳 霞 红 玲 婷 洁 琳 慧 莉 萍 雪 梅 英 丹 晓燕 晓丽 海燕 丽娟 美玲 秀英
    春梅 桂英 亚楠 雅琴 瑞芳 晋芳
    """
)
MOBILE_PREFIXES: tuple[str, ...] = ("133", "135", "137", "138", "139", "150", "152", "158", "187")
LANDLINE_AREA = "0358"

# The sibling county under 吕梁市, for "another body" in data-scope tests.
OTHER_COUNTY_PLACE = "交城县"
OTHER_TOWNS: tuple[str, ...] = (
    "天宁镇",
    "夏家营镇",
    "西营镇",
    "水峪贯镇",
    "西社镇",
    "庞泉沟镇",
    "洪相乡",
    "岭底乡",
    "东坡底乡",
    "会立乡",
)
OTHER_SEAT_STREETS: tuple[str, ...] = ("卦山路", "永宁路", "天宁街", "西街", "东街", "北环路")
OTHER_PLACE_PREFIXES: tuple[str, ...] = ("交城县", "山西交城", "吕梁", "交城")
