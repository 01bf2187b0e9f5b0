"""Small valid input tables, as text, from which each test builds its own files in tmp_path.

Imported by the tests of this folder as `io_inputs`.

Rows as the user sees them: header = row 1, S01 = row 2, S02 = row 3, S03 = row 4.
"""
from pathlib import Path

SCHOOLS = """\
school_id,name,county,level,location,school_type,students,classes,teachers,teachers_above_degree,teachers_mid_senior_title,backbone_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,equipment_value_yuan,books,computers,multimedia_classrooms,boarding_students,parent_school_id
S01,城关一小,甲县,primary,urban,regular,800,18,45,40,30,6,5,4000,6000,1800000,24000,90,18,0,
S02,红旗小学,甲县,primary,rural,regular,120,6,10,8,5,1,1,600.5,1200,200000,2500,12,4,30,
S03,城关中学,甲县,junior,town,regular,600,12,50,45,35,8,6,3600,6500,1600000,21000,80,14,200,
"""

TEACHERS = """\
teacher_id,school_id,level,birth_year,sex,degree,title,backbone,subject,years_at_school,rural_service_years
T001,S01,primary,1980,female,bachelor,intermediate,county,chinese,10,0
T002,S02,primary,1990,male,associate,junior,,math,3,3
T003,S03,junior,1975,male,postgraduate,senior,city,english,20,5
"""

BUDGET = """\
year,fiscal_revenue_yuan,compulsory_education_yuan
2021,500000000,120000000
2022,520000000,130000000
"""

# The same schools as a county bureau would type them: Chinese headers with units in full-width
# brackets, Chinese value words, equipment in 万元 (180 万元 = 1,800,000 yuan).
SCHOOLS_ZH = """\
学校代码,学校名称,县（市、区）,学段,城乡类型,办学类型,在校生数,班级数,专任教师数,高于规定学历教师数,其中：中级及以上专业技术职务教师数,县级及以上骨干教师数,体育、艺术（音乐、美术）专任教师数,教学及辅助用房面积（平方米）,体育运动场（馆）面积（平方米）,教学仪器设备值（万元）,图书（册）,计算机（台）,网络多媒体教室（间）,寄宿生数,所属学校代码
S01,城关一小,甲县,小学,城区,普通,800,18,45,40,30,6,5,4000,6000,180,24000,90,18,0,
S02,红旗小学,甲县,小学,乡村,完全小学,120,6,10,8,5,1,1,600.5,1200,20,2500,12,4,30,
S03,城关中学,甲县,初中,镇区,初级中学,600,12,50,45,35,8,6,3600,6500,160,21000,80,14,200,
"""

TEACHERS_ZH = """\
教师编号,学校代码,学段,出生年份,性别,学历,职称,骨干教师,任教学科,本校任教年限,农村任教年限
T001,S01,小学,1980,女,本科,一级教师,县级,语文,10,0
T002,S02,小学,1990,男,大专,二级,,数学,3,3
T003,S03,初中,1975,男,研究生,高级教师,市级,英语,20,5
"""


def write(folder: Path, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    """Write `files` (name → text or bytes) into `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder
