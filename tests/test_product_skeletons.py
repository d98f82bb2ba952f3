from tests.contract import ProductContract


class TestAttendanceContract(ProductContract):
    product_code = "attendance"
    limited_urls = ["/attendance/"]
    full_urls = ["/attendance/requests/"]


class TestReceptionContract(ProductContract):
    product_code = "reception"
    full_urls = ["/reception/"]
