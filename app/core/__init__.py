"""The running process: settings, the application context (database and clock), the web server's wiring, the
worker and the scheduler runtime, wake-ups, the command line, the page chrome (theme) and the error pages.
"""
