"""Demo content of the Department's pages, in Vietnamese and English (manage.py load_pages_demo)."""

ABOUT_SUMMARY = (
    "Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu, giúp Ủy ban nhân "
    "dân tỉnh quản lý nhà nước về khoa học, công nghệ và đổi mới sáng tạo."
)
ABOUT_BODY = """
<h2>Vị trí và chức năng</h2>
<p>Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, có chức năng tham mưu, giúp
Ủy ban nhân dân tỉnh quản lý nhà nước về: hoạt động khoa học và công nghệ; phát triển tiềm lực khoa học và
công nghệ; đổi mới sáng tạo; tiêu chuẩn, đo lường, chất lượng; sở hữu trí tuệ; ứng dụng bức xạ và đồng vị
phóng xạ; an toàn bức xạ và hạt nhân; chuyển giao công nghệ.</p>
<p>Sở có tư cách pháp nhân, có con dấu và tài khoản riêng; chịu sự chỉ đạo, quản lý về tổ chức, biên chế
và công tác của Ủy ban nhân dân tỉnh, đồng thời chịu sự chỉ đạo, hướng dẫn, thanh tra, kiểm tra về chuyên
môn, nghiệp vụ của Bộ Khoa học và Công nghệ.</p>
<h2>Nhiệm vụ và quyền hạn</h2>
<ul>
<li>Trình Ủy ban nhân dân tỉnh dự thảo quyết định, kế hoạch phát triển khoa học, công nghệ và đổi mới sáng
tạo; chương trình, đề án, nhiệm vụ khoa học và công nghệ cấp tỉnh.</li>
<li>Tổ chức tuyển chọn, giao trực tiếp, đánh giá, nghiệm thu và công nhận kết quả nhiệm vụ khoa học và
công nghệ; đăng ký, lưu giữ và công bố kết quả thực hiện nhiệm vụ.</li>
<li>Quản lý hoạt động tiêu chuẩn, đo lường, chất lượng sản phẩm, hàng hóa; năng suất chất lượng; mã số,
mã vạch trên địa bàn tỉnh.</li>
<li>Hướng dẫn, hỗ trợ tổ chức, cá nhân xác lập, khai thác và bảo vệ quyền sở hữu trí tuệ; phát triển tài
sản trí tuệ của địa phương.</li>
<li>Cấp, sửa đổi, thu hồi các loại giấy phép, giấy chứng nhận thuộc thẩm quyền; thanh tra, kiểm tra và
xử lý vi phạm trong lĩnh vực được giao.</li>
</ul>
<h2>Cơ cấu tổ chức</h2>
<ul>
<li><strong>Lãnh đạo Sở:</strong> Giám đốc và các Phó Giám đốc.</li>
<li><strong>Các phòng chuyên môn:</strong>
<ul>
<li>Văn phòng Sở</li>
<li>Thanh tra Sở</li>
<li>Phòng Kế hoạch - Tài chính</li>
<li>Phòng Quản lý khoa học</li>
<li>Phòng Quản lý công nghệ và Sở hữu trí tuệ</li>
<li>Phòng Quản lý chuyên ngành</li>
<li>Chi cục Tiêu chuẩn Đo lường Chất lượng</li>
</ul></li>
<li><strong>Đơn vị sự nghiệp:</strong>
<ul>
<li>Trung tâm Ứng dụng tiến bộ khoa học và công nghệ</li>
<li>Trung tâm Thông tin và Thống kê khoa học và công nghệ</li>
</ul></li>
</ul>
"""

ABOUT_SUMMARY_EN = (
    "The Department of Science and Technology is a specialised agency of the Provincial People's Committee. "
    "It advises the Committee on state management of science, technology and innovation."
)
ABOUT_BODY_EN = """
<h2>Position and functions</h2>
<p>The Department of Science and Technology is a specialised agency of the Provincial People's Committee.
It advises and assists the Committee in the state management of: science and technology activities; the
development of scientific and technological capacity; innovation; standards, metrology and quality;
intellectual property; the application of radiation and radioisotopes; radiation and nuclear safety; and
technology transfer.</p>
<p>The Department has legal status, its own seal and accounts. It is directed by the Provincial People's
Committee in organisation, staffing and work, and receives professional guidance and inspection from the
Ministry of Science and Technology.</p>
<h2>Duties and powers</h2>
<ul>
<li>Submit to the Provincial People's Committee draft decisions and plans for the development of science,
technology and innovation, and provincial science and technology programmes and projects.</li>
<li>Select, assign, evaluate and accept provincial science and technology tasks; register, keep and publish
their results.</li>
<li>Manage standards, metrology, product and goods quality, productivity, and bar codes in the province.</li>
<li>Guide and support organisations and individuals in establishing, exploiting and protecting intellectual
property rights, and develop the province's intellectual assets.</li>
<li>Issue, amend and revoke licences and certificates within its competence; inspect and handle violations
in its fields.</li>
</ul>
<h2>Organisation</h2>
<ul>
<li><strong>Leadership:</strong> the Director and Deputy Directors.</li>
<li><strong>Divisions:</strong>
<ul>
<li>Office of the Department</li>
<li>Inspectorate</li>
<li>Planning and Finance Division</li>
<li>Science Management Division</li>
<li>Technology and Intellectual Property Management Division</li>
<li>Specialised Management Division</li>
<li>Sub-Department of Standards, Metrology and Quality</li>
</ul></li>
<li><strong>Public service units:</strong>
<ul>
<li>Centre for Application of Scientific and Technological Advances</li>
<li>Centre for Science and Technology Information and Statistics</li>
</ul></li>
</ul>
"""

CONTACT_SUMMARY = "Người dân, doanh nghiệp liên hệ với Sở Khoa học và Công nghệ theo các địa chỉ dưới đây."
CONTACT_BODY = """
<h2>Liên hệ theo lĩnh vực</h2>
<ul>
<li>Nhiệm vụ khoa học và công nghệ: Phòng Quản lý khoa học, điện thoại 0200 3826 790.</li>
<li>Sở hữu trí tuệ, chuyển giao công nghệ: Phòng Quản lý công nghệ và Sở hữu trí tuệ, điện thoại 0200 3826 791.</li>
<li>Tiêu chuẩn, đo lường, chất lượng: Chi cục Tiêu chuẩn Đo lường Chất lượng, điện thoại 0200 3826 792.</li>
<li>Thủ tục hành chính: Bộ phận Một cửa tại Trung tâm Phục vụ hành chính công tỉnh.</li>
</ul>
"""
CONTACT_SUMMARY_EN = "Citizens and businesses can reach the Department of Science and Technology as follows."
CONTACT_BODY_EN = """
<h2>Contacts by subject</h2>
<ul>
<li>Science and technology tasks: Science Management Division, phone +84 200 3826 790.</li>
<li>Intellectual property and technology transfer: Technology and Intellectual Property Management Division,
phone +84 200 3826 791.</li>
<li>Standards, metrology and quality: Sub-Department of Standards, Metrology and Quality, phone +84 200 3826 792.</li>
<li>Administrative procedures: the one-stop desk at the Provincial Public Administration Service Centre.</li>
</ul>
"""

CONTACT = {
    "name": "Sở Khoa học và Công nghệ",
    "name_en": "Department of Science and Technology",
    "address": "Số 1, đường Trần Hưng Đạo, thành phố, tỉnh",
    "address_en": "No. 1 Tran Hung Dao Street, provincial city",
    "phone": "0200 3826 789",
    "fax": "0200 3826 788",
    "email": "sokhcn@example.gov.vn",
    "hours": "Sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ, từ thứ Hai đến thứ Sáu",
    "hours_en": "Monday to Friday, 7:30 – 11:30 and 13:30 – 17:00",
    "focal_name": "Lê Thị Thu Hà",
    "focal_title": "Phó Giám đốc Sở",
    "focal_title_en": "Deputy Director",
    "focal_phone": "0912 345 678",
    "focal_email": "phatngon.skhcn@example.gov.vn",
}

# (name, title, title_en, duties, duties_en, phone, email)
LEADERS = [
    (
        "Trần Minh Quang",
        "Giám đốc Sở",
        "Director",
        "Lãnh đạo, điều hành chung mọi hoạt động của Sở; trực tiếp phụ trách công tác tổ chức cán bộ, kế hoạch, "
        "tài chính, thanh tra.",
        "Leads and directs all the Department's work; in charge of personnel, planning, finance and inspection.",
        "0200 3826 789",
        "giamdoc.skhcn@example.gov.vn",
    ),
    (
        "Lê Thị Thu Hà",
        "Phó Giám đốc Sở",
        "Deputy Director",
        "Phụ trách quản lý khoa học, đổi mới sáng tạo, thông tin và thống kê khoa học và công nghệ; người phát "
        "ngôn của Sở.",
        "In charge of science management, innovation, and science and technology information and statistics; "
        "the Department's spokesperson.",
        "0200 3826 790",
        "ha.ltt@example.gov.vn",
    ),
    (
        "Phạm Văn Đức",
        "Phó Giám đốc Sở",
        "Deputy Director",
        "Phụ trách quản lý công nghệ, sở hữu trí tuệ, tiêu chuẩn đo lường chất lượng và an toàn bức xạ.",
        "In charge of technology management, intellectual property, standards, metrology and quality, and "
        "radiation safety.",
        "0200 3826 791",
        "duc.pv@example.gov.vn",
    ),
]
