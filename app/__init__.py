"""The running application: settings, services, CLI, API and NiceGUI pages."""
