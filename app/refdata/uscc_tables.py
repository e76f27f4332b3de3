"""GB 32100-2015 tables: registering authorities (position 1) and entity types (position 2).

Facts from the standard's code tables, written here by the FieldAudit team.
Each name is (Chinese, English).
"""

from __future__ import annotations

Name = tuple[str, str]

AUTHORITIES: dict[str, Name] = {
    "1": ("机构编制", "institutional establishment authorities"),
    "2": ("外交", "foreign affairs"),
    "3": ("司法行政", "judicial administration"),
    "4": ("文化", "culture"),
    "5": ("民政", "civil affairs"),
    "6": ("旅游", "tourism"),
    "7": ("宗教", "religious affairs"),
    "8": ("工会", "trade unions"),
    "9": ("工商", "industry and commerce (market regulation)"),
    "A": ("中央军委改革和编制办公室", "Central Military Commission reform and establishment office"),
    "N": ("农业", "agriculture"),
    "Y": ("其他", "other"),
}

ENTITY_TYPES: dict[str, dict[str, Name]] = {
    "1": {
        "1": ("机关", "government organ"),
        "2": ("事业单位", "public institution"),
        "3": ("中央编办直接管理机构编制的群众团体", "mass organisation under the central establishment office"),
        "9": ("其他", "other"),
    },
    "2": {
        "1": ("外国常驻新闻机构", "resident foreign news agency"),
        "9": ("其他", "other"),
    },
    "3": {
        "1": ("律师执业机构", "law firm"),
        "2": ("公证处", "notary office"),
        "3": ("基层法律服务所", "grassroots legal service office"),
        "4": ("司法鉴定机构", "forensic appraisal institution"),
        "5": ("仲裁委员会", "arbitration commission"),
        "9": ("其他", "other"),
    },
    "4": {
        "1": ("外国在华文化中心", "foreign cultural centre in China"),
        "9": ("其他", "other"),
    },
    "5": {
        "1": ("社会团体", "social organisation"),
        "2": ("民办非企业单位", "private non-enterprise unit"),
        "3": ("基金会", "foundation"),
        "9": ("其他", "other"),
    },
    "6": {
        "1": ("外国旅游部门常驻代表机构", "resident office of a foreign tourism authority"),
        "2": ("港澳台地区旅游部门常驻内地（大陆）代表机构",
              "resident office of a Hong Kong, Macao or Taiwan tourism authority"),
        "9": ("其他", "other"),
    },
    "7": {
        "1": ("宗教活动场所", "place of religious activity"),
        "2": ("宗教院校", "religious college"),
        "9": ("其他", "other"),
    },
    "8": {
        "1": ("基层工会", "grassroots trade union"),
        "9": ("其他", "other"),
    },
    "9": {
        "1": ("企业", "enterprise"),
        "2": ("个体工商户", "individual business"),
        "3": ("农民专业合作社", "farmers' specialised cooperative"),
    },
    "A": {
        "1": ("军队事业单位", "military public institution"),
        "9": ("其他", "other"),
    },
    "N": {
        "1": ("组级集体经济组织", "group-level collective economic organisation"),
        "2": ("村级集体经济组织", "village-level collective economic organisation"),
        "3": ("乡镇级集体经济组织", "township-level collective economic organisation"),
        "9": ("其他", "other"),
    },
    "Y": {
        "1": ("其他", "other"),
    },
}
