from tests.contract import ProductContract
