from django.contrib.auth import views as auth_views
from django.urls import path

from zhenggai.web import (
    admin_import,
    admin_people,
    admin_tree,
    assessments,
    campaigns,
    cockpit,
    dispatch,
    doc_templates,
    documents,
    home,
    inbox,
    items,
    ledger,
    ledger_export,
    letters,
    plans,
    publish,
    registers,
    report,
    rounds,
    signin,
    similar,
)

app_name = "web"

urlpatterns = [
    path("", home.index, name="home"),
    path("login/", signin.SignIn.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("welcome/", signin.welcome, name="welcome"),
    path("password/", signin.PasswordChange.as_view(), name="password_change"),
    # The office's administration: its organisations and people (not Django's admin).
    path("office-admin/", admin_tree.page, name="admin_tree"),
    path("office-admin/people/", admin_people.people_page, name="admin_people"),
    path("office-admin/people/<int:pk>/", admin_people.person_page, name="admin_person"),
    path("office-admin/import/", admin_import.page, name="admin_import"),
    path("office-admin/import/template.xlsx", admin_import.template, name="admin_import_template"),
    path("inbox/", inbox.page, name="inbox"),
    # The inspection office's cockpit over the organisations under it.
    path("cockpit/", cockpit.page, name="cockpit"),
    path("cockpit/measures/", cockpit.measures, name="cockpit_measures"),
    path("cockpit/<slug:table>.xlsx", cockpit.sheet, name="cockpit_sheet"),
    path("cockpit/tables/<slug:table>/", cockpit.table, name="cockpit_table"),
    path("cockpit/sections/<slug:name>/", cockpit.section, name="cockpit_section"),
    # The inspection office's register of its rounds, teams and inspections.
    path("rounds/", rounds.rounds_page, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_page, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/bulletin.docx", rounds.round_bulletin_docx, name="round_bulletin"),
    # The inspection office's 回头看 campaigns.
    path("campaigns/", campaigns.campaigns_page, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_page, name="campaign"),
    path("campaigns/<int:pk>/report.docx", campaigns.campaign_report, name="campaign_report"),
    path("campaigns/files/<int:pk>/", campaigns.campaign_file, name="campaign_file"),
    path("inspections/<int:pk>/", ledger.page, name="ledger"),
    path("inspections/<int:pk>/export.xlsx", ledger_export.export, name="ledger_export"),
    path(
        "inspections/<int:pk>/documents/<slug:kind>.<slug:ext>",
        documents.download,
        name="document",
    ),
    path("inspections/<int:pk>/publications/", publish.publications, name="publications"),
    # The registers of accountability, case leads, regulations, funds and work facts.
    path("inspections/<int:pk>/registers/", registers.page, name="registers"),
    path("inspections/<int:pk>/templates/", doc_templates.page, name="templates"),
    path(
        "inspections/<int:pk>/templates/<slug:kind>/", doc_templates.change, name="template_change"
    ),
    path(
        "inspections/<int:pk>/templates/<slug:kind>/<slug:which>.docx",
        doc_templates.download,
        name="template_download",
    ),
    path("inspections/<int:pk>/plan/", plans.review, name="plan"),
    path("inspections/<int:pk>/assign/", plans.assign, name="assign"),
    path("inspections/<int:pk>/dispatch/", dispatch.page, name="dispatch"),
    path("inspections/<int:pk>/dispatch.xlsx", dispatch.sheet, name="dispatch_sheet"),
    path("plans/new/", plans.upload, name="plan_upload"),
    path("jobs/<int:pk>/", plans.job, name="job"),
    path("jobs/<int:pk>/download", ledger_export.download, name="job_download"),
    path("problems/<int:pk>/", items.problem_page, name="problem"),
    path("problems/<int:pk>/similar/", similar.section, name="similar"),
    path("measures/<int:pk>/", items.measure_page, name="measure"),
    path("evidence/<int:pk>/", items.evidence_file, name="evidence"),
    # Warnings and the escalation ladder's letters (web/letters.py).
    path("cockpit/warnings/", letters.warnings, name="warnings"),
    path("cockpit/ladder/", letters.ladder, name="ladder"),
    path("inspections/<int:pk>/letters/", letters.inspection_letters, name="letters"),
    path("inspections/<int:pk>/report/", report.submit, name="report_submit"),
    path("letters/<int:pk>/", letters.letter, name="letter"),
    path("letters/<int:pk>/letter.docx", letters.letter_docx, name="letter_docx"),
]

# Assessments of the rectification (整改评估): web/assessments.py.
urlpatterns += [
    path("assessment/scheme/", assessments.scheme_page, name="assessment_scheme"),
    path("inspections/<int:pk>/assessment/", assessments.page, name="assessment"),
    path(
        "inspections/<int:pk>/assessment/report.docx",
        assessments.report,
        name="assessment_report",
    ),
    path(
        "inspections/<int:pk>/assessment/evidence/<slug:which>/",
        assessments.evidence,
        name="assessment_evidence",
    ),
]
