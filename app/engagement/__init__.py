"""What people do with messages: opens, clicks and provider callbacks (service), the hosted preference page's
signed links (preferences), and inbound SMS keywords STOP/START/HELP (sms_inbound).
"""
