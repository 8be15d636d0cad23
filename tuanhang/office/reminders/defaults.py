"""The reminder rules every new fair starts with. Organisers edit, disable or add rules in the
admin afterwards. The texts are stored in the rule (Vietnamese and English), not translated at
send time, so what organisers wrote is what businesses read.

The payment reminders are timed from each application's own deposit and balance deadlines
(its AmountDue) and go only to businesses that still owe something (vendors.selectors.money).

"Application decided" is created disabled: the review already e-mails each decision the moment
it is taken (vendors.tasks.send_decision_email). Enabling it adds a second, later note."""

from .models import ReminderRule

R = ReminderRule
APPROVED = ["approved"]
IN_PROGRESS = ["submitted", "waitlisted", "approved"]

SIGNATURE_VI = "\n\nTrân trọng,\nBan tổ chức {fair_name}"
SIGNATURE_EN = "\n\nKind regards,\nThe organisers of {fair_name}"
HOW_TO_PAY_VI = (
    "\n\nVui lòng chuyển khoản vào tài khoản {receiving_account}, nội dung chuyển khoản ghi mã {payment_code}. "
    "Chi tiết và mã QR tại: {link}"
)
HOW_TO_PAY_EN = (
    "\n\nPlease transfer to {receiving_account} with the code {payment_code} in the transfer memo. "
    "Details and the QR code: {link}"
)

DEFAULT_RULES = [
    {
        "kind": R.Kind.REGISTRATION_CLOSING,
        "anchor": R.Anchor.REGISTRATION_CLOSES,
        "direction": R.Direction.BEFORE,
        "days": 3,
        "statuses": ["draft"],
        "subject_vi": "Còn 3 ngày để nộp hồ sơ tham gia {fair_name}",
        "body_vi": "Kính gửi {business_name},\n\nHồ sơ đăng ký tham gia {fair_name} của quý đơn vị vẫn đang ở dạng "
        "bản nháp. Hạn đăng ký là {registration_closes_at}. Vui lòng hoàn thiện và nộp hồ sơ tại: {link}"
        + SIGNATURE_VI,
        "subject_en": "3 days left to submit your application to {fair_name}",
        "body_en": "Dear {business_name},\n\nYour application to {fair_name} is still a draft. Registration closes "
        "at {registration_closes_at}. Please complete and submit it here: {link}" + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.DOCUMENTS_MISSING,
        "anchor": R.Anchor.REGISTRATION_CLOSES,
        "direction": R.Direction.BEFORE,
        "days": 5,
        "statuses": IN_PROGRESS,
        "subject_vi": "Hồ sơ tham gia {fair_name} còn thiếu giấy tờ",
        "body_vi": "Kính gửi {business_name},\n\nHồ sơ của quý đơn vị còn thiếu: {missing_documents}. Vui lòng tải "
        "lên trước {registration_closes_at} tại: {link}" + SIGNATURE_VI,
        "subject_en": "Documents missing from your application to {fair_name}",
        "body_en": "Dear {business_name},\n\nYour application still lacks: {missing_documents}. Please upload them "
        "before {registration_closes_at}: {link}" + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.APPLICATION_DECIDED,
        "enabled": False,
        "anchor": R.Anchor.DECIDED,
        "direction": R.Direction.AFTER,
        "hours": 1,
        "statuses": ["approved", "waitlisted", "rejected"],
        "subject_vi": "Kết quả xét duyệt hồ sơ tham gia {fair_name}",
        "body_vi": "Kính gửi {business_name},\n\nHồ sơ tham gia {fair_name} của quý đơn vị hiện ở trạng thái: "
        "{status}. Chi tiết xem tại: {link}" + SIGNATURE_VI,
        "subject_en": "Decision on your application to {fair_name}",
        "body_en": "Dear {business_name},\n\nYour application to {fair_name} is now: {status}. Details: {link}"
        + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.BOOTH_ASSIGNED,
        "anchor": R.Anchor.BOOTH_ASSIGNED,
        "direction": R.Direction.AFTER,
        "hours": 1,
        "statuses": APPROVED,
        "subject_vi": "Gian hàng của quý đơn vị tại {fair_name}: {booth_codes}",
        "body_vi": "Kính gửi {business_name},\n\nBan tổ chức đã bố trí gian hàng {booth_codes} cho quý đơn vị tại "
        "{fair_name}. Phí tham gia cần nộp: {fee_due}. Xem sơ đồ và chi tiết tại: {link}" + SIGNATURE_VI,
        "subject_en": "Your booth at {fair_name}: {booth_codes}",
        "body_en": "Dear {business_name},\n\nYou have been given booth {booth_codes} at {fair_name}. Fee due: "
        "{fee_due}. Map and details: {link}" + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.SETUP_TOMORROW,
        "anchor": R.Anchor.SETUP,
        "direction": R.Direction.BEFORE,
        "days": 1,
        "statuses": APPROVED,
        "subject_vi": "Ngày mai bàn giao gian hàng {booth_codes} – {fair_name}",
        "body_vi": "Kính gửi {business_name},\n\nGian hàng {booth_codes} được bàn giao lúc {setup_at} tại {venue}. "
        "Vui lòng đến đúng giờ để trang trí và chuẩn bị hàng hoá." + SIGNATURE_VI,
        "subject_en": "Booth handover tomorrow: {booth_codes} – {fair_name}",
        "body_en": "Dear {business_name},\n\nYour booth {booth_codes} is handed over at {setup_at} at {venue}. "
        "Please arrive on time to set up." + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.FAIR_OPENS,
        "anchor": R.Anchor.OPENS,
        "direction": R.Direction.BEFORE,
        "hours": 12,
        "statuses": APPROVED,
        "subject_vi": "{fair_name} khai mạc lúc {opens_at}",
        "body_vi": "Kính gửi {business_name},\n\n{fair_name} khai mạc lúc {opens_at} tại {venue}. Gian hàng của "
        "quý đơn vị: {booth_codes}. Chúc quý đơn vị một kỳ hội chợ thành công!" + SIGNATURE_VI,
        "subject_en": "{fair_name} opens at {opens_at}",
        "body_en": "Dear {business_name},\n\n{fair_name} opens at {opens_at} at {venue}. Your booth: {booth_codes}. "
        "We wish you a successful fair!" + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.SALES_FIGURES,
        "anchor": R.Anchor.CLOSES,
        "direction": R.Direction.AFTER,
        "hours": 2,
        "statuses": APPROVED,
        "subject_vi": "Xin gửi doanh số bán hàng tại {fair_name}",
        "body_vi": "Kính gửi {business_name},\n\n{fair_name} đã bế mạc. Để Ban tổ chức tổng hợp báo cáo gửi Sở Công "
        "Thương, quý đơn vị vui lòng nhập doanh số và lượng khách ước tính từng ngày tại: {link}" + SIGNATURE_VI,
        "subject_en": "Please send your sales figures for {fair_name}",
        "body_en": "Dear {business_name},\n\n{fair_name} has closed. So that the organisers can report to the "
        "provincial Department of Industry and Trade, please enter your sales and visitor estimates for each day "
        "here: {link}" + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.PAYMENT_DUE,
        "anchor": R.Anchor.DEPOSIT_DUE,
        "direction": R.Direction.BEFORE,
        "days": 3,
        "statuses": APPROVED,
        "subject_vi": "Nhắc nộp tiền đặt cọc tham gia {fair_name} trước {payment_deadline}",
        "body_vi": "Kính gửi {business_name},\n\nHạn nộp tiền đặt cọc tham gia {fair_name} là {payment_deadline}. "
        "Số tiền cần nộp: {amount_by_deadline} (tổng còn phải thanh toán: {amount_outstanding})."
        + HOW_TO_PAY_VI
        + SIGNATURE_VI,
        "subject_en": "Deposit for {fair_name} due by {payment_deadline}",
        "body_en": "Dear {business_name},\n\nThe deposit for {fair_name} is due by {payment_deadline}. Amount to pay: "
        "{amount_by_deadline} (still owed in all: {amount_outstanding})." + HOW_TO_PAY_EN + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.PAYMENT_DUE,
        "anchor": R.Anchor.BALANCE_DUE,
        "direction": R.Direction.BEFORE,
        "days": 3,
        "statuses": APPROVED,
        "subject_vi": "Nhắc thanh toán phí tham gia {fair_name} trước {payment_deadline}",
        "body_vi": "Kính gửi {business_name},\n\nQuý đơn vị còn phải thanh toán {amount_outstanding} phí tham gia "
        "{fair_name}, hạn chót {payment_deadline}." + HOW_TO_PAY_VI + SIGNATURE_VI,
        "subject_en": "Fee for {fair_name} due by {payment_deadline}",
        "body_en": "Dear {business_name},\n\nYou still owe {amount_outstanding} for {fair_name}, due by "
        "{payment_deadline}." + HOW_TO_PAY_EN + SIGNATURE_EN,
    },
    {
        "kind": R.Kind.PAYMENT_DUE,
        "anchor": R.Anchor.BALANCE_DUE,
        "direction": R.Direction.AFTER,
        "days": 1,
        "statuses": APPROVED,
        "subject_vi": "Quá hạn thanh toán phí tham gia {fair_name}",
        "body_vi": "Kính gửi {business_name},\n\nĐã quá hạn thanh toán ({payment_deadline}) nhưng Ban tổ chức chưa "
        "nhận đủ phí tham gia {fair_name}: còn thiếu {amount_outstanding}." + HOW_TO_PAY_VI + SIGNATURE_VI,
        "subject_en": "Fee for {fair_name} overdue",
        "body_en": "Dear {business_name},\n\nThe payment deadline ({payment_deadline}) has passed and "
        "{amount_outstanding} of the fee for {fair_name} is still owed." + HOW_TO_PAY_EN + SIGNATURE_EN,
    },
]
