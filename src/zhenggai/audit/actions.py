"""The audit vocabulary: every action the code records, by the name its events
store, with the phrase a history shows for it.

The values are the names already in the chain and must never change (each one
is part of an event's hash). A workflow move is named ``<flow>.<move>`` and is
labelled as in its table (``measure_flow``, ``problem_flow``, ``plan_flow``);
the importer names each row it creates ``<model>.import``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    # The ledger (services/ledger.py).
    PROGRESS_CREATE = "progress.create", _("填报整改进展")
    EVIDENCE_CREATE = "evidence.create", _("上传佐证材料")
    EVIDENCE_ACCEPTED = "evidence.accepted", _("认可佐证材料")
    EVIDENCE_RETURNED = "evidence.returned", _("退回佐证材料")
    EXTENSION_CREATE = "extension.create", _("申请延期")
    EXTENSION_APPROVED = "extension.approved", _("同意延期申请")
    EXTENSION_REFUSED = "extension.refused", _("不同意延期申请")
    FOLLOW_UP_CREATE = "follow_up.create", _("记录回头看")
    UNFINISHED_CREATE = "unfinished.create", _("登记未完成整改事项")
    MEASURE_ASSIGN = "measure.assign", _("分配整改措施")
    # The moves of the workflows, labelled as in their tables.
    MEASURE_START = "measure.start", pgettext_lazy("move", "开始整改")
    MEASURE_SUBMIT = "measure.submit", pgettext_lazy("move", "申请销号")
    MEASURE_RETURN = "measure.return", pgettext_lazy("move", "退回整改")
    MEASURE_SIGN_OFF = "measure.sign_off", pgettext_lazy("move", "销号")
    MEASURE_CONTINUE_LONG_TERM = "measure.continue_long_term", pgettext_lazy("move", "转入长期坚持")
    MEASURE_REOPEN = "measure.reopen", pgettext_lazy("move", "重新整改")
    PROBLEM_START = "problem.start", pgettext_lazy("move", "开始整改")
    PROBLEM_SUBMIT = "problem.submit", pgettext_lazy("move", "申请销号")
    PROBLEM_RETURN = "problem.return", pgettext_lazy("move", "退回整改")
    PROBLEM_SIGN_OFF = "problem.sign_off", pgettext_lazy("move", "销号")
    PROBLEM_CARRY_OVER = "problem.carry_over", pgettext_lazy("move", "转入长期整改")
    PROBLEM_REOPEN = "problem.reopen", pgettext_lazy("move", "重新整改")
    PLAN_SUBMIT = "plan.submit", pgettext_lazy("move", "报送整改方案")
    PLAN_APPROVE = "plan.approve", pgettext_lazy("move", "审批整改方案")
    PLAN_RETURN = "plan.return", pgettext_lazy("move", "退回整改方案")
    PLAN_ACCEPT = "plan.accept", pgettext_lazy("move", "同意整改方案")
    PLAN_SEND_BACK = "plan.send_back", pgettext_lazy("move", "审核后退回整改方案")
    PLAN_AMEND = "plan.amend", _("修订整改方案（回头看后重新整改）")
    PLAN_RECORD = "plan.record", _("登记线下已审批的整改方案")
    # Corrections of the plan while it is a draft (services/plans.py).
    MEASURE_MOVE = "measure.move", _("将整改措施移到另一问题下")
    PROBLEM_CREATE = "problem.create", _("新建问题")
    PROBLEM_RETITLE = "problem.retitle", _("修改问题标题")
    PROBLEM_MERGE = "problem.merge", _("将问题并入另一问题")
    PROBLEM_SPLIT = "problem.split", _("拆分问题")
    PROBLEM_RELOCATE = "problem.relocate", _("调整问题位置")
    PROBLEM_NEST = "problem.nest", _("将问题改为子问题")
    # Writing the plan's measures (services/plan_measures.py).
    MEASURE_CREATE = "measure.create", _("新增整改措施")
    MEASURE_EDIT = "measure.edit", _("修改整改措施")
    MEASURE_DELETE = "measure.delete", _("删除整改措施")
    MEASURE_REORDER = "measure.reorder", _("调整整改措施顺序")
    MEASURE_TO_SUBPROBLEM = "measure.to_subproblem", _("将整改措施改为子问题")
    PROBLEM_TO_MEASURE = "problem.to_measure", _("将子问题改为整改措施")
    # Accountability and the office (services/accountability.py, services/offices.py).
    ACTION_CREATE = "action.create", _("记录问责处理")
    REGULATION_CREATE = "regulation.create", _("记录建章立制")
    FUNDS_CREATE = "funds.create", _("记录追缴资金")
    # The registers of case leads and of the organisation's work (services/registers.py).
    CASE_LEAD_CREATE = "caselead.create", _("登记移交的问题线索")
    CASE_LEAD_DISPOSE = "caselead.dispose", _("记录问题线索处置情况")
    WORK_FACT_CREATE = "workfact.create", _("记录会议、培训或督促提醒")
    OWN_WORDS_SET = "inspection.own_words", _("修改组织整改工作情况和下一步工作打算的表述")
    OFFICE_SETTINGS_UPDATE = "office_settings.update", _("修改预警和报送期限设置")
    # The taxonomy (services/problem_topics.py).
    PROBLEM_TOPIC_SET = "problem_topic.set", _("修改问题分类")
    PROBLEM_TOPIC_SUGGEST = "problem_topic.suggest", _("自动建议问题分类")
    # The demo's organisations and roles (demo/loader.py), and the office's
    # administrators' (services/org_tree.py, services/people.py).
    ORGANISATION_CREATE = "organisation.create", _("创建组织")
    MEMBERSHIP_CREATE = "membership.create", _("授予角色")
    ORGANISATION_RENAME = "organisation.rename", _("修改组织名称")
    MEMBERSHIP_DELETE = "membership.delete", _("撤销角色")
    PERSON_CREATE = "person.create", _("新增人员")
    PERSON_RENAME = "person.rename", _("修改人员姓名")
    PERSON_DEACTIVATE = "person.deactivate", _("停用账号")
    PERSON_REACTIVATE = "person.reactivate", _("恢复账号")
    PERSON_PASSWORD_RESET = "person.password_reset", _("重置密码，生成一次性登录码")
    PERSON_PASSWORD_SET = "person.password_set", _("用一次性登录码设置密码")
    PERSON_PASSWORD_CHANGE = "person.password_change", _("修改本人密码")
    PERSON_IMPORT = "person.import", _("批量导入人员")
    ADMINISTRATOR_GRANT = "administrator.grant", _("设为系统管理员")
    ADMINISTRATOR_REVOKE = "administrator.revoke", _("取消系统管理员")
    ADMINISTRATOR_SETUP = "administrator.setup", _("初始化：创建巡察办和首位系统管理员")
    # The office's rounds, teams and registered inspections (services/rounds.py).
    ROUND_CREATE = "round.create", _("创建巡察轮次")
    ROUND_EDIT = "round.edit", _("修改巡察轮次")
    TEAM_CREATE = "team.create", _("新建巡察组")
    TEAM_ASSIGN = "team.assign", _("安排巡察组巡察的单位")
    TEAM_EDIT = "team.edit", _("修改巡察组")
    INSPECTION_MOVE = "inspection.move", _("调整巡察所属的轮次或巡察组")
    REPORT_SUBMIT = "inspection.report_submit", _("报送整改情况报告")
    INSPECTION_REGISTER = "inspection.register", _("登记巡察")
    FEEDBACK_ATTACH = "inspection.feedback_attach", _("为登记的巡察上传反馈意见")
    # 回头看 campaigns (services/campaigns.py).
    CAMPAIGN_CREATE = "campaign.create", _("创建回头看专项")
    CAMPAIGN_CHECK_ASSIGN = "campaign_check.assign", _("分配回头看检查")
    CAMPAIGN_CHECK_RECORD = "campaign_check.record", _("记录回头看检查结果")
    CAMPAIGN_CLOSE = "campaign.close", _("结束回头看专项")
    # The importer (services/importing.py, services/sources.py).
    INSPECTION_IMPORT = "inspection.import", _("导入巡察")
    INSPECTION_FACTS = "inspection.facts", _("补充巡察基本情况")
    CATEGORY_IMPORT = "category.import", _("导入问题类别")
    PROBLEM_IMPORT = "problem.import", _("导入问题")
    MEASURE_IMPORT = "measure.import", _("导入整改措施")
    REGULATION_IMPORT = "regulation.import", _("导入建章立制")
    ACTION_IMPORT = "action.import", _("导入问责处理")
    UNFINISHED_IMPORT = "unfinished.import", _("导入未完成整改事项")
    SOURCEDOCUMENT_IMPORT = "sourcedocument.import", _("导入反馈意见文件")
    RECOMMENDATION_IMPORT = "recommendation.import", _("导入整改意见建议")
    CASELEAD_IMPORT = "caselead.import", _("导入移交的问题线索")
    PROGRESSENTRY_IMPORT = "progressentry.import", _("导入台账中的整改进展")
    APPROVAL_IMPORT = "approval.import", _("导入台账中的销号情况")
    FUNDSRECOVERED_IMPORT = "fundsrecovered.import", _("导入追缴资金")
    WORKFACT_IMPORT = "workfact.import", _("导入组织整改工作情况")
    # Documents (documents/services.py, publications/services.py).
    TEMPLATE_UPLOAD = "template.upload", _("上传文书模板")
    TEMPLATE_RESET = "template.reset", _("恢复默认文书模板")
    PUBLICATION_PUBLISH = "publication.publish", _("发布整改进展情况的通报")
    CONTRADICTION_EXPLAIN = "contradiction.explain", _("说明导入文件中的不一致之处")
    PUBLICATION_PDF = "publication.pdf", _("生成通报 PDF")
    # The escalation ladder and its letters (escalation/ladder.py, letters.py, escalate.py).
    LADDER_UPDATE = "ladder.update", _("修改督促函件梯次")
    LETTER_ISSUE = "letter.issue", _("发出督促函件")
    LETTER_ESCALATE = "letter.escalate", _("逾期未答复，督促函件升级")
    LETTER_ACKNOWLEDGE = "letter.acknowledge", _("签收督促函件")
    LETTER_ANSWER = "letter.answer", _("答复督促函件")
    # Assessments of the rectification (services/assessments.py).
    ASSESSMENT_SCHEME_CREATE = "assessment_scheme.create", _("建立整改评估方案（默认）")
    ASSESSMENT_SCHEME_EDIT = "assessment_scheme.edit", _("修改整改评估方案")
    ASSESSMENT_START = "assessment.start", _("开始整改评估")
    ASSESSMENT_ENTER = "assessment.enter", _("录入整改评估指标")
    ASSESSMENT_FINALISE = "assessment.finalise", _("完成整改评估")

    @classmethod
    def named(cls, kind: str, verb: str) -> "Action":
        """The action ``<kind>.<verb>`` (a flow's move, an imported model, a review's
        outcome); ValueError for a name the vocabulary does not hold."""
        name = f"{kind}.{verb}"
        if name not in cls.values:
            raise ValueError(f"no audit action {name!r}")
        return cls(name)
