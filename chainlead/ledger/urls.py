from django.urls import path

from chainlead.ledger import views
from chainlead.utilities.urls import model_urls

app_name = "ledger"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("batches/", views.ImportBatchListView.as_view(), name="importbatch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="importbatch_detail"),
    path("batches/<int:pk>/confirm/", views.batch_confirm, name="importbatch_confirm"),
    path("batches/<int:pk>/undo/", views.batch_undo, name="importbatch_undo"),
    *model_urls("synonyms", "fieldsynonym", views, "FieldSynonym"),
    *model_urls("mappings", "columnmapping", views, "ColumnMapping"),
]
