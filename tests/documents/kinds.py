"""The document kinds the shipped apps register, by the code stored in the database. The registry
itself is open (documents.kinds.register); this list is what the tests expect to find in it."""


class DocumentKind:
    DEADLINE_NOTICE = "deadline_notice"  # workflows.core (DOC-7)
    RMA_LIST_ORDER = "rma_list_order"  # workflows.rma (DOC-1)
    RMA_CERTIFICATE = "rma_certificate"  # workflows.rma (DOC-4a)
    RMA_REFUSAL = "rma_refusal"  # workflows.rma (справка об отказе)
    RMA_CRITERIA_STATEMENT = "rma_criteria_statement"  # workflows.rma (справка о соответствии критериям)
    RMA_ASSESSMENT_PROTOCOL = "rma_assessment_protocol"  # workflows.rma (ведомость результатов оценки)
    IOM = "iom"  # workflows.iom (DOC-3)
    IOM_COMPLETION = "iom_completion_certificate"  # workflows.iom (справка о выполнении ИОМ)
    DIAGNOSIS_CERTIFICATE = "diagnosis_certificate"  # workflows.iom.diagnostics (справка о диагностике)
    INTERNSHIP_SITES_ORDER = "internship_sites_order"  # workflows.internships (DOC-2)
    INTERNSHIP_CERTIFICATE = "internship_certificate"  # workflows.internships (DOC-4b)
    INTERNSHIP_PROTOCOL = "internship_commission_protocol"  # workflows.internships (protocol of DOC-2)
    INTERNSHIP_SITE_CERTIFICATE = "internship_site_certificate"  # workflows.internships (status справка)
    INTERNSHIP_SITE_STATUS_ORDER = "internship_site_status_order"  # workflows.internships (renewal … revocation)
    MONITORING_REPORT = "monitoring_report"  # workflows.monitoring (DOC-5)
    MONITORING_RECOMMENDATIONS = "monitoring_recommendations"  # workflows.monitoring (DOC-6)
    MONITORING_DECISIONS_ORDER = "monitoring_decisions_order"  # workflows.monitoring (001:L185-187)
    MONITORING_EFFECTIVENESS = "monitoring_effectiveness"  # workflows.monitoring (001:L190-200)

    values = [
        RMA_LIST_ORDER,
        INTERNSHIP_SITES_ORDER,
        IOM,
        IOM_COMPLETION,
        DIAGNOSIS_CERTIFICATE,
        RMA_CERTIFICATE,
        INTERNSHIP_CERTIFICATE,
        INTERNSHIP_PROTOCOL,
        INTERNSHIP_SITE_CERTIFICATE,
        INTERNSHIP_SITE_STATUS_ORDER,
        RMA_REFUSAL,
        RMA_CRITERIA_STATEMENT,
        RMA_ASSESSMENT_PROTOCOL,
        MONITORING_REPORT,
        MONITORING_RECOMMENDATIONS,
        MONITORING_DECISIONS_ORDER,
        MONITORING_EFFECTIVENESS,
        DEADLINE_NOTICE,
    ]
