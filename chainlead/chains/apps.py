from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "chainlead.chains"
    label = "chains"
    verbose_name = _("产业链")

    def ready(self):
        from chainlead.utilities.menu import register

        register("chains", _("重点产业链"), "chains:keychain_list", model="chains.KeyChain")
        register("chains", _("产业链节点"), "chains:chainnode_list", model="chains.ChainNode")
        register("chains", _("链长与专班"), "chains:chainrole_list", model="chains.ChainRole")
        register("chains", _("链主与配套企业"), "chains:nodeenterprise_list", model="chains.NodeEnterprise")
