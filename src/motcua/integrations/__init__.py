"""Plugins for external systems: payment gateways, notifiers, the National Public Service Portal.

`registry` holds the typed registry that every kind of plugin uses; each kind has its own registry instance
(`motcua.integrations.payment.payment_gateways` for payment gateways).
"""
