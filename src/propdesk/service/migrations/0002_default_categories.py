"""The shared category tree every project starts with (projects may add their own)."""

from django.db import migrations

TREE = [
    ("utilities", "水电", [("plumbing", "给排水"), ("electrical", "电气"), ("gas", "燃气")]),
    ("elevator", "电梯", []),
    ("doors-windows", "门窗", []),
    ("structure", "土建", [("leak-roof-wall", "墙面屋面渗漏"), ("walls-floors", "墙地面")]),
    ("greenery", "绿化", []),
    ("cleaning", "保洁", []),
    ("security", "安防", [("access-control", "门禁"), ("cctv", "监控")]),
    ("noise", "噪音", []),
    ("fire", "消防", []),
    ("parking", "停车", []),
    ("fees", "费用", []),
    ("service-attitude", "服务态度", []),
    ("pets", "宠物", []),
    ("other", "其他", []),
]


def create(apps, schema_editor):
    Category = apps.get_model("service", "Category")
    for sort, (code, name, children) in enumerate(TREE):
        parent = Category.objects.create(project=None, code=code, name=name, sort=sort * 10)
        for child_sort, (child_code, child_name) in enumerate(children):
            Category.objects.create(project=None, parent=parent, code=child_code, name=child_name,
                                    sort=child_sort)


def remove(apps, schema_editor):
    apps.get_model("service", "Category").objects.filter(project=None).delete()


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
