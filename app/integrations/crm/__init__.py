"""CRM sync: contacts imported from the company's CRM, journey outcomes written back to it."""
