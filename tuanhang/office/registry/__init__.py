"""The shared business registry's pages for the installation's administrators (superusers): legal
identity changes waiting for approval, and merging two records of the same business."""
