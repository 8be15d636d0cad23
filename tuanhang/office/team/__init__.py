"""The organiser's team page (issue 16): its members and their roles, invitations by e-mail or
phone, role and fair changes, removals, and the change log. The writes are events/teams.py's."""
