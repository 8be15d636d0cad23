from .views import allocation, floorplan, map, selection

app_name = "booths"

urlpatterns = [*floorplan.urlpatterns, *map.urlpatterns, *selection.urlpatterns, *allocation.urlpatterns]
