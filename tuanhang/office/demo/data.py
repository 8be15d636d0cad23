"""Static content of the demo fair (names in Vietnamese, as organisers write them).

Kept apart from events/demo.py, which turns it into rows; nothing here touches the database.
"""

EVENT = {
    "slug": "tuan-hang-viet-nam-vsip-thuy-nguyen-2024",
    # "{year}": the year the fair opens (rows.ensure_event dates it around the day of seeding).
    "name": "Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm {year}",
    "venue": "Khu công nghiệp VSIP Hải Phòng",
    "address": "Đường Tràng Duệ, phường Thủy Nguyên",  # the venue's name is printed beside it: not repeated
    "province": "31",
    "description": (
        "Hoạt động thuộc Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam” giai đoạn 2021–2025 "
        "(Kế hoạch số 130/KH-UBND của UBND thành phố Hải Phòng). Các gian hàng tiêu chuẩn giới thiệu hàng "
        "tiêu dùng thiết yếu, nông sản, thực phẩm chế biến và sản phẩm OCOP của Hải Phòng và các tỉnh, "
        "phục vụ công nhân lao động tại khu công nghiệp."
    ),
    "daily_hours": "8:00–22:00",
    "booth_fee": 6_000_000,
    "subsidy_percent": 50,
    "deposit": 1_000_000,
    "max_booths_per_participant": 2,
}

# The khuyến công programme the demo fair runs under ("{year}": the year the fair opens; the period
# is that calendar year). It replaces the fair's flat subsidy share: 50 % of the booth fee, at most
# 3.000.000 ₫ per business per fair, at most twice a year per business.
SUBSIDY_PROGRAMME = {
    "name": "Chương trình khuyến công thành phố Hải Phòng năm {year}",
    "legal_basis": "Kế hoạch khuyến công thành phố Hải Phòng năm {year}",
    "budget": 200_000_000,
    "share_percent": 50,
    "cap_per_fair": 3_000_000,
    "max_fairs_per_year": 2,
}

ORGANISER = {
    "name": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng",
    "short_name": "TTKC Hải Phòng",
    "parent_body": "Sở Công Thương Hải Phòng",
    "address": "Số 6 Hoàng Diệu, phường Hồng Bàng",
    "province": "31",
    "phone": "+842253842506",
    "email": "khuyencong.haiphong@example.com",
    "representative": "Phạm Văn Thắng",
}

# The account the demo fair's fees go to (a made-up number at a real bank of the bundled list), so
# that the dashboard, the e-mail and the letter carry a VietQR.
BANK_ACCOUNT = {
    "bank_bin": "970415",  # VietinBank
    "account_number": "113000042024",
    "account_name": "TRUNG TAM KHUYEN CONG VA TU VAN PHAT TRIEN CONG NGHIEP HAI PHONG",
    "branch": "Chi nhánh Hải Phòng",
}

# (name, is_food), in display order: the common categories a fresh installation already has
# (events/migrations/0017_common_fair_categories.py), found there by name.
CATEGORIES = [
    ("Hàng tiêu dùng thiết yếu", False),
    ("Nông sản", True),
    ("Thực phẩm chế biến", True),
    ("Thủy hải sản", True),
    ("Bánh kẹo", True),
    ("Chè – cà phê", True),
    ("Đồ uống", True),
    ("Gia vị", True),
    ("Sản phẩm OCOP", False),
    ("Thủ công mỹ nghệ – làng nghề", False),
    ("Cơ khí", False),
]

# Demo products sold fresh, without a package that needs a product self-declaration.
FRESH_PRODUCE = {
    "Rau củ an toàn An Lão",
    "Vải thiều Lục Ngạn",
    "Bưởi Đoan Hùng",
    "Cam Cao Phong",
    "Mận hậu Mộc Châu",
    "Na Chi Lăng",
    "Cam Vinh",
}

# (slug, name, description)
DOCUMENT_TYPES = [
    (
        "dang-ky-kinh-doanh",
        "Giấy chứng nhận đăng ký doanh nghiệp / hợp tác xã / hộ kinh doanh",
        "Bản sao giấy chứng nhận đăng ký của đơn vị tham gia.",
    ),
    ("phieu-dang-ky", "Phiếu đăng ký tham gia", "Theo mẫu của Ban tổ chức, có chữ ký và dấu (nếu có)."),
    ("tu-cong-bo-san-pham", "Bản tự công bố sản phẩm", "Bắt buộc với sản phẩm thực phẩm."),
    (
        "gcn-attp",
        "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "Với cơ sở sản xuất, kinh doanh thực phẩm thuộc diện phải cấp.",
    ),
    (
        "cam-ket-attp",
        "Bản cam kết bảo đảm an toàn thực phẩm",
        "Với cơ sở nhỏ lẻ không thuộc diện cấp giấy chứng nhận đủ điều kiện ATTP.",
    ),
    ("chung-nhan-ocop", "Giấy chứng nhận sản phẩm OCOP", "Khi đăng ký trưng bày sản phẩm OCOP."),
]

# Everyone: the business registration and the registration form (whose template the fair offers).
DOCUMENTS_FOR_EVERYONE = ["dang-ky-kinh-doanh", "phieu-dang-ky"]
# The fair's rules (FairDocumentRule): document slug and its conditions.
DOCUMENT_RULES = [
    ("gcn-attp", {"shows_food": True, "attp_certificate_required": True, "note": "Bản sao còn hiệu lực."}),
    (
        "cam-ket-attp",
        {
            "shows_food": True,
            "attp_certificate_required": False,
            "note": "Theo mẫu của cơ quan quản lý ATTP địa phương.",
        },
    ),
    ("tu-cong-bo-san-pham", {"sells_packaged_food": True, "note": "Cho từng sản phẩm thực phẩm bao gói sẵn."}),
    ("chung-nhan-ocop", {"shows_ocop": True, "note": "Cho từng sản phẩm OCOP đăng ký trưng bày."}),
]
TERMS = (
    "1. Đơn vị tham gia trưng bày, bán đúng nhóm hàng đã đăng ký; hàng hóa có nguồn gốc, xuất xứ rõ ràng, "
    "không bán hàng giả, hàng nhái, hàng kém chất lượng.\n"
    "2. Niêm yết giá và bán đúng giá niêm yết.\n"
    "3. Nộp phí gian hàng và tiền đặt cọc theo thông báo của Ban tổ chức; tiền đặt cọc được hoàn lại sau khi "
    "bàn giao gian hàng nguyên trạng.\n"
    "4. Không tự ý chuyển nhượng gian hàng; tuân thủ giờ mở cửa, quy định phòng cháy chữa cháy và vệ sinh môi "
    "trường của Ban tổ chức."
)
REGISTRATION_FORM_SLUG = "phieu-dang-ky"
# Papers filled in anew for each fair: never offered for reuse with the next application.
FILLED_PER_FAIR = ["phieu-dang-ky"]
REGISTRATION_FORM_ROWS = [
    "Tên đơn vị:",
    "Loại hình (DN / HTX / HKD):",
    "Mã số thuế:",
    "Địa chỉ:",
    "Người liên hệ:",
    "Điện thoại / Zalo:",
    "Số gian hàng đăng ký:",
    "Nhóm hàng / sản phẩm chính:",
    "Sản phẩm OCOP (số sao):",
    "Ngày ký, chữ ký và dấu (nếu có):",
]

# Document types with personal identity data (DocumentType.personal): only the business, the
# organiser's administrators and reviewers open them; removed some months after the fair.
PERSONAL_DOCUMENT_TYPES = [
    (
        "cccd-chu-ho",
        "Căn cước công dân của chủ hộ kinh doanh",
        "Ảnh hai mặt thẻ căn cước của chủ hộ (với hộ kinh doanh dùng số định danh cá nhân làm mã số thuế).",
    ),
]

# code, name, colour, allowed category slugs (empty = every category of the fair).
# Zones run from the stage (top of the plan) to the main entrance (bottom).
ZONES = [
    ("A", "Khu gian hàng Hải Phòng", "#1f77b4", []),
    ("B", "Khu OCOP", "#d62728", ["san-pham-ocop", "thu-cong-my-nghe-lang-nghe", "che-ca-phe"]),
    ("C", "Khu nông sản", "#2ca02c", ["nong-san", "thuy-hai-san", "che-ca-phe"]),
    ("D", "Khu thực phẩm chế biến", "#ff7f0e", ["thuc-pham-che-bien", "banh-keo", "gia-vi", "do-uong"]),
    ("E", "Khu hàng tiêu dùng", "#9467bd", ["hang-tieu-dung-thiet-yeu", "co-khi", "thu-cong-my-nghe-lang-nghe"]),
]

BOOTH_TYPES = {
    "standard": {
        "name": "Gian tiêu chuẩn 3 × 3 m",
        "width_m": 3,
        "depth_m": 3,
        "is_standard": True,
        "equipment": "1 bàn quầy, 2 ghế, 2 đèn chiếu sáng, 1 ổ điện 220 V, biển tên",
    },
    "double": {
        "name": "Gian đôi 6 × 3 m",
        "width_m": 6,
        "depth_m": 3,
        "is_standard": False,
        "equipment": "2 bàn quầy, 4 ghế, 4 đèn chiếu sáng, 2 ổ điện 220 V, biển tên",
    },
}

BLOCKED = {
    "A07": "Cạnh sân khấu – lối đi kỹ thuật",
    "A08": "Cạnh sân khấu – lối đi kỹ thuật",
    "C13": "Vị trí tủ phòng cháy chữa cháy",
    "E20": "Lối vào chính – quầy lễ tân",
    "E21": "Lối vào chính – quầy lễ tân",
}

# Province code → (number of participants, specialities). A speciality is
# (product name, category slug, trade word used in business names, OCOP-certifiable).
PROVINCES = {
    "31": (
        22,
        [
            ("Nước mắm Cát Hải", "gia-vi", "Nước mắm", True),
            ("Bánh đa cua", "thuc-pham-che-bien", "Thực phẩm", False),
            ("Chả cá Cát Bà", "thuy-hai-san", "Thủy sản", True),
            ("Mực khô Bạch Long Vĩ", "thuy-hai-san", "Hải sản", True),
            ("Bánh đậu xanh Hải Dương", "banh-keo", "Bánh kẹo", True),
            ("Vải thiều Thanh Hà sấy khô", "nong-san", "Nông sản", True),
            ("Bánh gai Ninh Giang", "banh-keo", "Bánh kẹo", True),
            ("Gốm Chu Đậu", "thu-cong-my-nghe-lang-nghe", "Gốm sứ", True),
            ("Rau củ an toàn An Lão", "nong-san", "Nông nghiệp", False),
            ("Dép nhựa, giày vải", "hang-tieu-dung-thiet-yeu", "Giày dép", False),
            ("Nông cụ cầm tay", "co-khi", "Cơ khí", False),
            ("Đồ gỗ mỹ nghệ Bảo Hà", "thu-cong-my-nghe-lang-nghe", "Mỹ nghệ", True),
            ("Nem cua bể", "thuc-pham-che-bien", "Thực phẩm", False),
            ("Khăn mặt, khăn tắm cotton", "hang-tieu-dung-thiet-yeu", "Dệt may", False),
        ],
    ),
    "01": (
        4,
        [
            ("Bánh cốm Hàng Than", "banh-keo", "Bánh kẹo", True),
            ("Gốm Bát Tràng", "thu-cong-my-nghe-lang-nghe", "Gốm sứ", True),
            ("Giò chả Ước Lễ", "thuc-pham-che-bien", "Thực phẩm", True),
            ("Đồ nhựa gia dụng", "hang-tieu-dung-thiet-yeu", "Nhựa gia dụng", False),
            ("Mây tre đan Phú Vinh", "thu-cong-my-nghe-lang-nghe", "Mây tre đan", True),
        ],
    ),
    "79": (
        3,
        [
            ("Nước giặt sinh học", "hang-tieu-dung-thiet-yeu", "Hóa mỹ phẩm", False),
            ("Xà phòng thảo mộc", "hang-tieu-dung-thiet-yeu", "Hóa mỹ phẩm", False),
            ("Nồi chảo inox", "co-khi", "Inox gia dụng", False),
        ],
    ),
    "22": (
        4,
        [
            ("Chả mực Hạ Long", "thuy-hai-san", "Hải sản", True),
            ("Sá sùng khô Vân Đồn", "thuy-hai-san", "Hải sản", True),
            ("Trà hoa vàng Ba Chẽ", "che-ca-phe", "Dược liệu", True),
        ],
    ),
    "33": (
        4,
        [
            ("Long nhãn Hưng Yên", "nong-san", "Nông sản", True),
            ("Tương Bần", "gia-vi", "Gia vị", True),
            ("Bánh cáy Thái Bình", "banh-keo", "Bánh kẹo", True),
        ],
    ),
    "24": (
        4,
        [
            ("Mỳ Chũ", "thuc-pham-che-bien", "Thực phẩm", True),
            ("Bánh phu thê Đình Bảng", "banh-keo", "Bánh kẹo", False),
            ("Vải thiều Lục Ngạn", "nong-san", "Nông sản", True),
            ("Đồ gỗ Đồng Kỵ", "thu-cong-my-nghe-lang-nghe", "Đồ gỗ", False),
        ],
    ),
    "37": (
        4,
        [
            ("Cơm cháy Ninh Bình", "thuc-pham-che-bien", "Thực phẩm", True),
            ("Kẹo Sìu Châu Nam Định", "banh-keo", "Bánh kẹo", False),
            ("Chiếu cói Kim Sơn", "thu-cong-my-nghe-lang-nghe", "Cói", True),
            ("Rượu Kim Sơn", "do-uong", "Đồ uống", True),
        ],
    ),
    "19": (
        3,
        [
            ("Chè Tân Cương", "che-ca-phe", "Chè", True),
            ("Miến dong Bắc Kạn", "thuc-pham-che-bien", "Thực phẩm", True),
        ],
    ),
    "25": (
        3,
        [
            ("Bưởi Đoan Hùng", "nong-san", "Nông sản", True),
            ("Cam Cao Phong", "nong-san", "Nông sản", True),
            ("Chè xanh Phú Thọ", "che-ca-phe", "Chè", False),
        ],
    ),
    "14": (
        3,
        [
            ("Mận hậu Mộc Châu", "nong-san", "Nông sản", False),
            ("Cà phê Arabica Sơn La", "che-ca-phe", "Cà phê", True),
            ("Thịt trâu gác bếp", "thuc-pham-che-bien", "Thực phẩm", False),
        ],
    ),
    "15": (
        2,
        [
            ("Quế Văn Yên", "gia-vi", "Lâm sản", True),
            ("Mật ong bạc hà", "nong-san", "Nông sản", True),
        ],
    ),
    "20": (
        2,
        [
            ("Hoa hồi Lạng Sơn", "gia-vi", "Gia vị", True),
            ("Na Chi Lăng", "nong-san", "Nông sản", False),
        ],
    ),
    "04": (2, [("Hạt dẻ Trùng Khánh", "nong-san", "Nông sản", True)]),
    "08": (2, [("Chè Shan tuyết Hà Giang", "che-ca-phe", "Chè", True)]),
    "38": (
        3,
        [
            ("Nem chua Thanh Hóa", "thuc-pham-che-bien", "Thực phẩm", True),
            ("Nước mắm Ba Làng", "gia-vi", "Nước mắm", False),
        ],
    ),
    "40": (
        3,
        [
            ("Cam Vinh", "nong-san", "Nông sản", True),
            ("Nhút Thanh Chương", "thuc-pham-che-bien", "Thực phẩm", False),
        ],
    ),
    "42": (2, [("Kẹo cu đơ", "banh-keo", "Bánh kẹo", True)]),
    "46": (
        2,
        [
            ("Mè xửng Huế", "banh-keo", "Bánh kẹo", True),
            ("Tôm chua Huế", "thuc-pham-che-bien", "Thực phẩm", False),
            ("Nón lá Huế", "thu-cong-my-nghe-lang-nghe", "Nón lá", False),
        ],
    ),
    "56": (
        2,
        [
            ("Yến sào Khánh Hòa", "thuc-pham-che-bien", "Yến sào", True),
            ("Nho sấy Ninh Thuận", "nong-san", "Nông sản", False),
        ],
    ),
    "66": (
        3,
        [
            ("Cà phê Buôn Ma Thuột", "che-ca-phe", "Cà phê", True),
            ("Hạt điều rang muối", "nong-san", "Nông sản", False),
        ],
    ),
    "68": (
        3,
        [
            ("Trà atisô Đà Lạt", "do-uong", "Đồ uống", True),
            ("Mứt hồng Đà Lạt", "banh-keo", "Bánh kẹo", False),
        ],
    ),
    "52": (2, [("Hồ tiêu Chư Sê", "gia-vi", "Gia vị", True)]),
    "82": (
        2,
        [
            ("Trà tim sen Đồng Tháp", "che-ca-phe", "Chè", True),
            ("Bánh phồng tôm Sa Giang", "thuc-pham-che-bien", "Thực phẩm", False),
        ],
    ),
    "91": (2, [("Mắm Châu Đốc", "thuc-pham-che-bien", "Thực phẩm", True)]),
    "92": (
        3,
        [
            ("Gạo ST25", "nong-san", "Lương thực", True),
            ("Bánh pía Sóc Trăng", "banh-keo", "Bánh kẹo", True),
        ],
    ),
    "96": (
        2,
        [
            ("Tôm khô Cà Mau", "thuy-hai-san", "Thủy sản", True),
            ("Mật ong rừng U Minh", "nong-san", "Nông sản", True),
        ],
    ),
    "86": (
        3,
        [
            ("Kẹo dừa Bến Tre", "banh-keo", "Bánh kẹo", True),
            ("Đồ thủ công từ dừa", "thu-cong-my-nghe-lang-nghe", "Thủ công", False),
        ],
    ),
}

BRANDS = [
    "Hoàng Long",
    "Minh Phát",
    "An Khang",
    "Phú Thịnh",
    "Thành Đạt",
    "Việt Hưng",
    "Hải Nam",
    "Tân Phát",
    "Đại Dương",
    "Bảo Ngọc",
    "Kim Long",
    "Hưng Thịnh",
    "Sao Việt",
    "Phúc Lộc",
    "Thiên Ân",
    "Trường Giang",
    "Nam Việt",
    "Hồng Phát",
    "Quang Minh",
    "Đông Á",
    "Bình An",
    "Thuận Phát",
    "Gia Huy",
    "Ngọc Lan",
    "Xuân Mai",
    "Tâm Đức",
    "Lộc Phát",
    "Hà Anh",
    "Mai Linh",
    "Trung Kiên",
    "Hồng Hà",
    "Đức Thành",
    "Việt Úc",
    "Phương Nam",
    "Sông Hồng",
    "Hương Quê",
    "Quê Việt",
    "Thái Sơn",
    "Hoa Sen",
    "Bắc Hải",
    "Tiến Đạt",
    "Vạn Xuân",
    "Đồng Xanh",
    "Kim Ngân",
    "Hòa Phong",
    "Nhật Minh",
    "Bảo An",
    "Thịnh Vượng",
    "Cát Tường",
    "An Phú",
]
COMPANY_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"]
COOPERATIVE_FORMS = ["", "", "Sản xuất ", "Dịch vụ "]  # "Hợp tác xã [Sản xuất ]Nông sản Tân Lập"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Mai",
    "Phan",
    "Trịnh",
    "Lương",
]
MIDDLE = {
    "m": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thành"],
    "f": ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh"],
}
GIVEN = {
    "m": ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Phong", "Tùng", "Khánh"],
    "f": ["Lan", "Hoa", "Hương", "Mai", "Hạnh", "Thảo", "Nga", "Linh", "Yến", "Huệ", "Hà", "Trang"],
}
STREETS = [
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Hùng Vương",
    "Lạch Tray",
]
HAMLETS = ["Thôn Đông", "Thôn Trung", "Thôn 3", "Xóm Chùa", "Thôn Tân Lập", "Tổ dân phố 5"]
MOBILE_PREFIXES = [
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "56",
    "58",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "89",
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
]
LANDLINE_PREFIXES = {"31": "225", "01": "24", "79": "28"}

# How many applications end in each status (the rest of the participants have none).
APPLICATION_MIX = [
    ("approved", 44),
    ("submitted", 14),
    ("draft", 9),
    ("waitlisted", 7),
    ("rejected", 5),
    ("withdrawn", 4),
    ("cancelled", 3),
]
DECISION_REASONS = {
    "rejected": [
        "Nhóm hàng không thuộc danh mục của Tuần hàng.",
        "Hồ sơ thiếu Giấy chứng nhận cơ sở đủ điều kiện ATTP, đã quá hạn bổ sung.",
    ],
    "waitlisted": ["Khu vực đăng ký đã đủ gian; xếp gian khi có đơn vị rút."],
    "cancelled": ["Đơn vị báo không tham gia được do trùng lịch sản xuất."],
}

# --- the second organiser and the logins (issue 16) ---------------------------------------------

# A business association with a small fair of its own: its staff see none of the first one's.
ORGANISER_2 = {
    "name": "Hiệp hội Doanh nghiệp nhỏ và vừa Hải Phòng",
    "short_name": "Hiệp hội DNNVV Hải Phòng",
    "parent_body": "Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam",
    "address": "Số 10 Lê Đại Hành, phường Hồng Bàng",
    "province": "31",
    "phone": "+842253745123",
    "email": "hiephoi.dnnvv.haiphong@example.com",
    "representative": "Trần Quốc Hưng",
}

EVENT_2 = {
    "slug": "hoi-cho-doanh-nghiep-nho-va-vua-hai-phong-2024",
    "name": "Hội chợ hàng Doanh nghiệp nhỏ và vừa Hải Phòng năm {year}",
    "venue": "Cung Văn hóa Thể thao Thanh niên Hải Phòng",
    "address": "Số 3 Lạch Tray, phường Gia Viên",
    "province": "31",
    "description": (
        "Hội chợ giới thiệu sản phẩm của hội viên Hiệp hội Doanh nghiệp nhỏ và vừa Hải Phòng: thực phẩm "
        "chế biến, hàng tiêu dùng và sản phẩm OCOP của thành phố."
    ),
    "daily_hours": "8:00–21:00",
    "booth_fee": 4_000_000,
    "subsidy_percent": 30,
    "deposit": 500_000,
    "max_booths_per_participant": 1,
}
# The second fair's applications: the first Hải Phòng participants of the demo (by tax code) and
# where each one stands. The businesses are the same records as at the first fair.
EVENT_2_APPLICATIONS = ["submitted", "submitted", "approved", "approved", "waitlisted", "rejected"]

# (username, organiser: 1 or 2, role, full name). The password is the demo's. "organiser" (the
# installation's superuser, administrator of organiser 1) is made by rows.ensure_user.
LOGINS = [
    ("ttkc.quantri", 1, "admin", "Phạm Thị Thu Hà"),
    ("ttkc.duyethoso", 1, "reviewer", "Nguyễn Văn Minh"),
    ("ttkc.ketoan", 1, "accountant", "Lê Thị Hồng"),
    ("ttkc.hientruong", 1, "floor", "Vũ Đức Thắng"),
    ("ttkc.baocao", 1, "viewer", "Đỗ Thị Lan Anh"),
    ("hiephoi.quantri", 2, "admin", "Trần Minh Tuấn"),
    ("so.congthuong", 1, "oversight", "Phòng Quản lý thương mại – Sở Công Thương Hải Phòng"),
]
