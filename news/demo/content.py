"""Demo content: the old site's menu and realistic Vietnamese articles."""

CATEGORIES = [
    # (name, slug, position, children)
    (
        "Tin tức - Sự kiện",
        "tin-tuc-su-kien",
        1,
        [
            ("Tin trong tỉnh", "tin-trong-tinh"),
            ("Tin trong nước", "tin-trong-nuoc"),
        ],
    ),
    ("Hoạt động của Sở", "hoat-dong-cua-so", 2, []),
    (
        "Khoa học - Công nghệ",
        "khoa-hoc-cong-nghe",
        3,
        [
            ("Đổi mới sáng tạo", "doi-moi-sang-tao"),
            ("Sở hữu trí tuệ", "so-huu-tri-tue"),
            ("Tiêu chuẩn - Đo lường - Chất lượng", "tieu-chuan-do-luong-chat-luong"),
        ],
    ),
    ("Khen thưởng - Xử phạt", "khen-thuong-xu-phat", 4, []),
    ("Văn bản", "van-ban", 5, []),
    ("Thông báo", "thong-bao", 6, []),
]

# (category slug, title, summary, author)
ARTICLES = [
    (
        "hoat-dong-cua-so",
        "Hội đồng KH&CN tỉnh nghiệm thu 05 đề tài cấp tỉnh năm 2023",
        "Các đề tài tập trung vào nông nghiệp công nghệ cao, y tế và chuyển đổi số, được Hội đồng đánh giá đạt yêu cầu.",
        "Minh Châu",
    ),
    (
        "doi-moi-sang-tao",
        "Khởi động cuộc thi Ý tưởng khởi nghiệp đổi mới sáng tạo tỉnh năm 2024",
        "Cuộc thi dành cho học sinh, sinh viên, doanh nghiệp trẻ có ý tưởng sản phẩm mới gắn với lợi thế địa phương.",
        "Thu Hà",
    ),
    (
        "so-huu-tri-tue",
        "Hỗ trợ đăng ký nhãn hiệu chứng nhận cho 10 sản phẩm đặc sản địa phương",
        "Sở KH&CN phối hợp với UBND các huyện hướng dẫn hồ sơ xác lập quyền sở hữu trí tuệ cho sản phẩm OCOP.",
        "Quang Huy",
    ),
    (
        "tieu-chuan-do-luong-chat-luong",
        "Kiểm tra đo lường xăng dầu tại 45 cửa hàng trên địa bàn tỉnh",
        "Đoàn kiểm tra liên ngành phát hiện 02 cột đo sai số vượt giới hạn cho phép và yêu cầu dừng sử dụng.",
        "Văn Nam",
    ),
    (
        "tin-trong-tinh",
        "Đồng chí Phó Chủ tịch UBND tỉnh thăm mô hình trồng rau thủy canh ứng dụng IoT",
        "Mô hình do Trung tâm ứng dụng tiến bộ KH&CN chuyển giao giúp tiết kiệm 30% nước tưới và tăng năng suất.",
        "Dương Liễu",
    ),
    (
        "tin-trong-nuoc",
        "Bộ KH&CN công bố Chỉ số đổi mới sáng tạo cấp địa phương năm 2023",
        "Chỉ số PII giúp các địa phương nhận diện điểm mạnh, điểm yếu để xây dựng chính sách phù hợp.",
        "Thanh Tùng",
    ),
    (
        "khen-thuong-xu-phat",
        "Xử phạt vi phạm hành chính 03 cơ sở kinh doanh mũ bảo hiểm không đạt chuẩn",
        "Thanh tra Sở KH&CN đã lập biên bản, tịch thu 250 chiếc mũ bảo hiểm không có dấu hợp quy CR.",
        "Văn Nam",
    ),
    (
        "khen-thuong-xu-phat",
        "Trao Bằng khen cho 12 tập thể, cá nhân có thành tích xuất sắc trong hoạt động KH&CN",
        "Các tập thể, cá nhân được khen thưởng đã có nhiều sáng kiến được áp dụng hiệu quả vào thực tiễn.",
        "Minh Châu",
    ),
    (
        "thong-bao",
        "Thông báo tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN cấp tỉnh năm 2024",
        "Hồ sơ đăng ký tuyển chọn gửi về Sở KH&CN trước ngày 30/6; chi tiết xem tại tệp đính kèm.",
        "Văn phòng Sở",
    ),
    (
        "van-ban",
        "Kế hoạch triển khai Chương trình phát triển tài sản trí tuệ giai đoạn 2021 - 2030",
        "Kế hoạch đặt mục tiêu mỗi năm hỗ trợ ít nhất 05 sản phẩm đăng ký bảo hộ quyền sở hữu công nghiệp.",
        "Văn phòng Sở",
    ),
    (
        "hoat-dong-cua-so",
        "Tập huấn nghiệp vụ quản lý nhà nước về KH&CN cho cán bộ cấp huyện",
        "Hơn 80 học viên được cập nhật kiến thức về sở hữu trí tuệ, truy xuất nguồn gốc và an toàn bức xạ.",
        "Thu Hà",
    ),
    (
        "doi-moi-sang-tao",
        "Ra mắt Mạng lưới cố vấn khởi nghiệp đổi mới sáng tạo của tỉnh",
        "Mạng lưới gồm 25 chuyên gia, doanh nhân sẵn sàng đồng hành cùng các dự án khởi nghiệp.",
        "Quang Huy",
    ),
    (
        "tin-trong-tinh",
        "Ứng dụng truy xuất nguồn gốc cho sản phẩm chè và cà phê của tỉnh",
        "Người tiêu dùng quét mã QR trên bao bì để biết vùng trồng, quy trình chăm sóc và chế biến.",
        "Dương Liễu",
    ),
    (
        "tieu-chuan-do-luong-chat-luong",
        "Hướng dẫn doanh nghiệp áp dụng hệ thống quản lý chất lượng ISO 9001:2015",
        "Sở KH&CN tổ chức hội thảo giúp doanh nghiệp nhỏ và vừa nâng cao năng suất, chất lượng sản phẩm.",
        "Thanh Tùng",
    ),
    (
        "so-huu-tri-tue",
        "Cảnh báo tình trạng giả mạo nhãn hiệu gạo đặc sản trên thị trường",
        "Người tiêu dùng cần kiểm tra tem, nhãn và mua hàng tại các điểm bán được cấp phép.",
        "Minh Châu",
    ),
    (
        "hoat-dong-cua-so",
        "Sở KH&CN ký kết chương trình hợp tác với Trường Đại học Bách khoa",
        "Hai bên hợp tác đào tạo nhân lực, chuyển giao công nghệ và thực hiện các nhiệm vụ KH&CN chung.",
        "Thu Hà",
    ),
    (
        "tin-trong-nuoc",
        "Ngày hội khởi nghiệp đổi mới sáng tạo quốc gia thu hút hơn 300 gian hàng",
        "Đoàn của tỉnh giới thiệu 06 sản phẩm tiêu biểu từ nông sản chế biến sâu đến thiết bị thông minh.",
        "Quang Huy",
    ),
    (
        "khoa-hoc-cong-nghe",
        "Nghiên cứu chọn tạo giống lúa chịu hạn phù hợp vùng đồi núi",
        "Giống lúa mới cho năng suất cao hơn 15% so với giống đối chứng trong điều kiện thiếu nước.",
        "Văn Nam",
    ),
    (
        "khoa-hoc-cong-nghe",
        "Ứng dụng ảnh vệ tinh theo dõi biến động rừng trên địa bàn tỉnh",
        "Hệ thống giúp phát hiện sớm các điểm mất rừng và hỗ trợ lực lượng kiểm lâm xử lý kịp thời.",
        "Thanh Tùng",
    ),
    (
        "thong-bao",
        "Thông báo lịch tiếp công dân của Giám đốc Sở KH&CN tháng 12",
        "Lãnh đạo Sở tiếp công dân vào thứ Năm tuần thứ hai và thứ tư trong tháng tại trụ sở cơ quan.",
        "Văn phòng Sở",
    ),
    (
        "van-ban",
        "Quyết định ban hành Quy chế quản lý nhiệm vụ KH&CN cấp tỉnh",
        "Quy chế quy định trình tự xác định, tuyển chọn, kiểm tra, đánh giá nghiệm thu nhiệm vụ KH&CN.",
        "Văn phòng Sở",
    ),
    (
        "khen-thuong-xu-phat",
        "Kiểm tra an toàn bức xạ tại các cơ sở y tế có sử dụng thiết bị X-quang",
        "Đoàn kiểm tra nhắc nhở 04 cơ sở chưa cập nhật hồ sơ khai báo và kế hoạch ứng phó sự cố.",
        "Văn Nam",
    ),
    (
        "tin-trong-tinh",
        "Nông dân được chuyển giao quy trình sản xuất phân bón hữu cơ vi sinh",
        "Quy trình tận dụng phụ phẩm nông nghiệp, giảm ô nhiễm môi trường và chi phí đầu vào.",
        "Dương Liễu",
    ),
    (
        "doi-moi-sang-tao",
        "Doanh nghiệp trẻ ứng dụng trí tuệ nhân tạo vào quản lý trang trại",
        "Phần mềm dự báo dịch bệnh giúp người chăn nuôi giảm thiệt hại và chủ động phòng ngừa.",
        "Quang Huy",
    ),
    (
        "hoat-dong-cua-so",
        "Hội nghị tổng kết công tác thanh tra KH&CN năm 2023",
        "Năm 2023, Thanh tra Sở đã tiến hành 18 cuộc thanh tra, kiểm tra, xử phạt 25 triệu đồng.",
        "Minh Châu",
    ),
    (
        "tieu-chuan-do-luong-chat-luong",
        "Kiểm định miễn phí cân đối chứng tại các chợ trên địa bàn",
        "Các cân đối chứng giúp người tiêu dùng tự kiểm tra khối lượng hàng hóa khi mua bán.",
        "Thanh Tùng",
    ),
    (
        "so-huu-tri-tue",
        "Tọa đàm nâng cao nhận thức về sở hữu trí tuệ cho doanh nghiệp",
        "Doanh nghiệp được hướng dẫn cách tra cứu, đăng ký và bảo vệ nhãn hiệu của mình.",
        "Thu Hà",
    ),
    (
        "tin-trong-nuoc",
        "Luật Khoa học, Công nghệ và Đổi mới sáng tạo có hiệu lực từ ngày 01/10",
        "Luật mới tạo hành lang pháp lý thông thoáng hơn cho hoạt động nghiên cứu và chuyển giao công nghệ.",
        "Thanh Tùng",
    ),
    (
        "khoa-hoc-cong-nghe",
        "Thử nghiệm thành công hệ thống tưới nhỏ giọt tự động cho cây ăn quả",
        "Hệ thống điều khiển qua điện thoại giúp nông dân tiết kiệm công lao động và nước tưới.",
        "Dương Liễu",
    ),
    (
        "thong-bao",
        "Thông báo nghỉ Tết Dương lịch và lịch trực của cơ quan",
        "Cán bộ, công chức, viên chức được nghỉ theo quy định; lịch trực được niêm yết tại trụ sở.",
        "Văn phòng Sở",
    ),
]

SENTENCES = [
    "Sở Khoa học và Công nghệ đã phối hợp chặt chẽ với các sở, ban, ngành và UBND các huyện, thành phố trong quá trình triển khai.",
    "Đây là hoạt động thiết thực nhằm đưa tiến bộ khoa học, công nghệ vào sản xuất và đời sống của người dân.",
    "Đại diện lãnh đạo Sở đánh giá cao sự chủ động của các đơn vị và đề nghị tiếp tục nhân rộng mô hình hiệu quả.",
    "Kết quả bước đầu cho thấy năng suất lao động tăng rõ rệt, chi phí sản xuất giảm và chất lượng sản phẩm ổn định.",
    "Trong thời gian tới, ngành KH&CN sẽ tăng cường công tác thông tin, tuyên truyền để người dân và doanh nghiệp nắm bắt.",
    "Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết nhằm hoàn thiện cơ chế, chính sách hỗ trợ.",
    "Hoạt động góp phần thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ tỉnh về phát triển khoa học, công nghệ và đổi mới sáng tạo.",
    "Các tổ chức, cá nhân có nhu cầu tìm hiểu thêm có thể liên hệ Văn phòng Sở trong giờ hành chính.",
    "Việc ứng dụng chuyển đổi số trong quản lý đã giúp rút ngắn thời gian xử lý hồ sơ thủ tục hành chính.",
    "Đồng chí Giám đốc Sở yêu cầu các phòng chuyên môn bám sát kế hoạch, bảo đảm tiến độ và chất lượng công việc.",
    "Nhiều doanh nghiệp trên địa bàn đã mạnh dạn đầu tư đổi mới công nghệ, nâng cao sức cạnh tranh trên thị trường.",
    "Chương trình nhận được sự hưởng ứng tích cực của đông đảo cán bộ, nhân dân và cộng đồng doanh nghiệp.",
]
