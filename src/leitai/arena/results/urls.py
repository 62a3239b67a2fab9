"""Arena pages after the day: publication, the results page and the anonymised export that recomputes them
(included by leitai.arena.urls under app_name "arena")."""

from django.urls import path

from leitai.arena.results import views, views_audit, views_receipts

urlpatterns = [
    path("<int:pk>/console/publish/", views.publish, name="console_publish"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/audit/", views_audit.audit_page, name="audit"),
    path("<int:pk>/audit/body/", views_audit.audit_body, name="audit_body"),
    path("<int:pk>/audit/links/", views_audit.add_link, name="audit_add_link"),
    path("<int:pk>/audit/links/<int:link_id>/remove/", views_audit.remove_link, name="audit_remove_link"),
    path("<int:pk>/audit/calibration/", views_audit.set_calibration, name="audit_calibration"),
    path("<int:pk>/results/correct/", views.correct, name="correct"),
    path("<int:pk>/export.zip", views.export_zip, name="export"),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("receipt/", views_receipts.check, name="receipt_check"),
    path("<int:pk>/receipt/", views_receipts.check, name="arena_receipt_check"),
]
