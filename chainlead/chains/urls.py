from chainlead.chains import views
from chainlead.utilities.urls import model_urls

app_name = "chains"
urlpatterns = [
    *model_urls("chains", "keychain", views, "KeyChain"),
    *model_urls("roles", "chainrole", views, "ChainRole"),
    *model_urls("nodes", "chainnode", views, "ChainNode"),
    *model_urls("node-enterprises", "nodeenterprise", views, "NodeEnterprise"),
]
