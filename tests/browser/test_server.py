"""The ``server`` fixture the browser tests stand on: `make run`'s application with the
demo loaded, its users known by role and organisation, its database and commands at hand."""

from tests.browser.support import Server
from zhenggai.orgs.models import Role


def test_it_knows_a_demo_user_of_every_role_in_every_organisation(server: Server) -> None:
    assert len(server.organisations) == 5
    for organisation in server.organisations:
        roles = {u.role for u in server.users if u.organisation == organisation}
        assert roles == {r.value for r in Role} - {Role.INSPECTION_OFFICE}
    office = server.user(Role.INSPECTION_OFFICE)
    assert office.organisation not in server.organisations
    assert all(u.password for u in server.users)
    assert server.busiest_organisation in server.organisations


def test_it_runs_commands_on_the_database_it_serves(server: Server) -> None:
    [(events,)] = server.query("SELECT COUNT(*) FROM audit_event")

    said = server.manage("audit", "verify")

    assert f"共 {events} 条记录" in said
