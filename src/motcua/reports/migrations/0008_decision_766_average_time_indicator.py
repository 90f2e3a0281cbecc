"""Decision 766/QĐ-TTg, version "766/2022": what the published summaries of the decision by state agencies confirm.

- The five groups and their maxima (18, 20, 22, 22, 18) are as loaded by 0007: stated by a provincial department
  of home affairs presenting the decision's full text (docs/LAW.md §3).
- The progress group lists a second indicator, the average processing time per procedure, which the national
  portal's formula notes show for monitoring only (0 points): added here, not measured, so it changes no score.
- The per-indicator points of the appendix itself are still not read: the version's note says so.
"""

from django.db import migrations

NOTE = (
    "Năm nhóm chỉ số và điểm tối đa của nhóm (18, 20, 22, 22, 18) theo bản giới thiệu toàn văn Quyết định của cơ "
    "quan nhà nước; điểm từng chỉ số theo các bản tóm tắt công khai và ghi chú công thức của Cổng Dịch vụ công "
    "quốc gia, chưa đối chiếu phụ lục của Quyết định."
)
OLD_NOTE = (
    "Điểm từng chỉ số theo các bản tóm tắt công khai và ghi chú công thức của Cổng Dịch vụ công quốc "
    "gia; chưa đối chiếu phụ lục của Quyết định."
)


def load(apps, schema_editor):
    Version = apps.get_model("reports", "IndexVersion")
    Group = apps.get_model("reports", "IndexGroup")
    Indicator = apps.get_model("reports", "IndexIndicator")
    version = Version.objects.filter(code="766/2022").first()
    if version is None:
        return
    if version.note == OLD_NOTE:
        version.note = NOTE
        version.save(update_fields=["note"])
    group = Group.objects.filter(version=version, key="progress").first()
    if group is None or Indicator.objects.filter(group=group, key="2.2").exists():
        return
    Indicator.objects.create(
        group=group,
        key="2.2",
        label="Thời gian giải quyết TTHC trung bình theo từng TTHC",
        max_points=0,
        measure="",
        threshold_percent=None,
        evidence="unverified",
        formula="Tổng thời gian giải quyết / Số hồ sơ đã giải quyết, theo từng thủ tục",
        note="Chỉ số theo dõi, không tính điểm (ghi chú công thức của Cổng quốc gia); tên chỉ số theo bản giới "
        "thiệu Quyết định của cơ quan nhà nước.",
        position=1,
    )


def unload(apps, schema_editor):
    Version = apps.get_model("reports", "IndexVersion")
    Indicator = apps.get_model("reports", "IndexIndicator")
    Indicator.objects.filter(group__version__code="766/2022", group__key="progress", key="2.2").delete()
    Version.objects.filter(code="766/2022", note=NOTE).update(note=OLD_NOTE)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_load_decision_766_2022")]
    operations = [migrations.RunPython(load, unload)]
