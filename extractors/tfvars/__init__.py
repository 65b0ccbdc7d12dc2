"""Terraform variable files (``terraform.tfvars``, ``*.auto.tfvars``)."""
