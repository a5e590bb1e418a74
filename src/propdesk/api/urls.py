from ninja import NinjaAPI

api = NinjaAPI(title="propdesk API", version="1", urls_namespace="api")
